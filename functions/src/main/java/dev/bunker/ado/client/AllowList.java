package dev.bunker.ado.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
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
    String path = normalizedPath(uri.getRawPath());
    return prefixes.stream().anyMatch(p -> p.scheme().equals(scheme) && p.host().equals(host)
        && p.port() == port && path.startsWith(p.path()));
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
        normalizedPath(uri.getRawPath()));
  }

  /**
   * The path as a server may read it, in lower case: percent-escapes decoded (so {@code %2e%2e} is
   * {@code ..} and {@code %2f} or a backslash separates segments), empty segments dropped and dot
   * segments removed (RFC 3986 5.2.4), so {@code /tfs/%2e%2e/other} is {@code /other/}. Ends in a
   * slash: prefixes match whole path segments, {@code /tfs/} allows {@code /tfs/x}, not {@code /tfsx}.
   */
  private static String normalizedPath(String rawPath) {
    Deque<String> kept = new ArrayDeque<>();
    for (String segment : percentDecoded(rawPath == null ? "" : rawPath).replace('\\', '/').split("/")) {
      if (segment.equals("..")) {
        kept.pollLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        kept.addLast(segment);
      }
    }
    StringBuilder path = new StringBuilder("/");
    kept.forEach(segment -> path.append(segment).append('/'));
    return path.toString().toLowerCase(Locale.ROOT);
  }

  /** {@code %XX} escapes decoded as UTF-8; {@link java.net.URI} has already refused malformed ones. */
  private static String percentDecoded(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      if (raw.charAt(i) == '%' && i + 2 < raw.length()) {
        bytes.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 3;
      } else {
        int codePoint = raw.codePointAt(i);
        bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int effectivePort(String scheme, int port) {
    return port != -1 ? port : scheme.equals("https") ? 443 : 80;
  }
}
