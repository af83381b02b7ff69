package dev.bunker.ado;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The URLs Bunker may contact: Azure DevOps Services ({@code https://dev.azure.com/},
 * {@code https://{organization}.visualstudio.com/} and the hosts of its {@link Service services}
 * such as {@code https://vssps.dev.azure.com/} or {@code https://{organization}.vsrm.visualstudio.com/})
 * plus configured prefixes (Azure DevOps Server, local test
 * servers). Checked before every request, including redirects, so registering an organization
 * can never make the app call an arbitrary address.
 */
public final class AllowList {

  private record Prefix(String scheme, String host, int port, String path) {}

  private final List<Prefix> prefixes;

  private AllowList(List<Prefix> prefixes) {
    this.prefixes = prefixes;
  }

  /**
   * Cloud hosts plus the comma-separated prefixes in {@code commaSeparated} (the value of the
   * {@code ALLOWED_ORGANIZATION_URLS} setting; null or blank for cloud only).
   */
  public static AllowList parse(String commaSeparated) {
    return of(commaSeparated == null ? List.of()
        : Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  /** Cloud hosts plus {@code extraPrefixes} such as {@code https://ado.contoso.local/tfs/}. */
  public static AllowList of(Collection<String> extraPrefixes) {
    return new AllowList(extraPrefixes.stream().map(AllowList::prefix).toList());
  }

  /** Whether a request to {@code uri} is allowed. */
  public boolean allows(URI uri) {
    if (uri == null || uri.getHost() == null || uri.getScheme() == null || uri.getRawUserInfo() != null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = effectivePort(scheme, uri.getPort());
    if (scheme.equals("https") && port == 443 && OrganizationUrl.isCloudHost(host)) {
      return true;
    }
    String path = withTrailingSlash(uri.getRawPath());
    return prefixes.stream().anyMatch(p -> p.scheme().equals(scheme) && p.host().equals(host)
        && p.port() == port && path.toLowerCase(Locale.ROOT).startsWith(p.path()));
  }

  /** Refuses an organization outside the allow-list before anything is sent to it. */
  public void check(OrganizationUrl organization) {
    if (!allows(organization.uri())) {
      throw new OrganizationNotAllowedException(organization, organization.uri(),
          "the organization URL is not on the allow-list");
    }
  }

  private static Prefix prefix(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL");
    }
    if (uri.getScheme() == null || uri.getHost() == null
        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("'" + text
          + "' is not an http(s) URL prefix such as https://ado.contoso.local/tfs/");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return new Prefix(scheme, uri.getHost().toLowerCase(Locale.ROOT), effectivePort(scheme, uri.getPort()),
        withTrailingSlash(uri.getRawPath()).toLowerCase(Locale.ROOT));
  }

  /** Prefixes match whole path segments: {@code /tfs/} allows {@code /tfs/x}, not {@code /tfsx}. */
  private static String withTrailingSlash(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    return path.endsWith("/") ? path : path + "/";
  }

  private static int effectivePort(String scheme, int port) {
    return port != -1 ? port : scheme.equals("https") ? 443 : 80;
  }
}
