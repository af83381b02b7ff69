package dev.bunker.core.model;

import dev.bunker.core.port.SourceDirectory;
import dev.bunker.hash.Sha256;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An organization URL in one canonical spelling, and the id derived from it: the same organization
 * always gets the same id, so registering it twice is a conflict even when two requests race, and
 * registering it again after deletion finds its backups. Whether the URL may be contacted at all is
 * the {@link SourceDirectory}'s allow-list decision.
 */
public record OrganizationAddress(String url, OrganizationKind kind) {
  static final int MAX_LENGTH = 2048;
  private static final String CLOUD_HOST = "dev.azure.com";
  private static final String LEGACY_CLOUD_SUFFIX = ".visualstudio.com";
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  /** Parses {@code text}; a {@link ValidationException} on {@code field} when it is not a plain http(s) URL. */
  public static OrganizationAddress parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw ValidationException.of(field, "is required");
    }
    if (text.length() > MAX_LENGTH) {
      throw ValidationException.of(field, "must be at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw ValidationException.of(field, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw ValidationException.of(field, "must be an https URL such as https://dev.azure.com/contoso");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw ValidationException.of(field, "must not contain credentials, a query or a fragment");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean defaultPort = uri.getPort() == -1 || uri.getPort() == (scheme.equals("https") ? 443 : 80);
    String port = defaultPort ? "" : ":" + uri.getPort();
    StringBuilder path = new StringBuilder();
    for (String segment : (uri.getRawPath() == null ? "" : uri.getRawPath()).split("/")) {
      if (!segment.isEmpty()) {
        path.append('/').append(normalizedEscapes(segment));
      }
    }
    boolean cloud = host.equals(CLOUD_HOST) || host.endsWith(LEGACY_CLOUD_SUFFIX);
    return new OrganizationAddress(scheme + "://" + host + port + path,
        cloud ? OrganizationKind.CLOUD : OrganizationKind.SERVER);
  }

  /**
   * Whether {@code other} is the same organization spelled differently: names and hosts are
   * case-insensitive, and {@code https://{org}.visualstudio.com} is {@code https://dev.azure.com/{org}}.
   */
  public boolean sameOrganization(OrganizationAddress other) {
    return identity().equals(other.identity());
  }

  private String identity() {
    URI uri = URI.create(url.toLowerCase(Locale.ROOT));
    String host = uri.getHost();
    if (kind == OrganizationKind.CLOUD && host.endsWith(LEGACY_CLOUD_SUFFIX)) {
      return "https://" + CLOUD_HOST + "/" + host.substring(0, host.length() - LEGACY_CLOUD_SUFFIX.length());
    }
    if (kind == OrganizationKind.CLOUD) {
      String path = uri.getRawPath();
      int end = path.indexOf('/', 1);
      return "https://" + CLOUD_HOST + (end == -1 ? path : path.substring(0, end));
    }
    return uri.toString();
  }

  /**
   * RFC 3986 6.2.2: escaped unreserved characters decoded ({@code cont%6Fso} is {@code contoso}),
   * other escapes in upper case.
   */
  private static String normalizedEscapes(String segment) {
    StringBuilder normalized = new StringBuilder();
    int i = 0;
    while (i < segment.length()) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        char decoded = (char) Integer.parseInt(segment, i + 1, i + 3, 16);
        normalized.append(UNRESERVED.indexOf(decoded) >= 0 ? String.valueOf(decoded)
            : segment.substring(i, i + 3).toUpperCase(Locale.ROOT));
        i += 3;
      } else {
        normalized.append(c);
        i++;
      }
    }
    return normalized.toString();
  }

  /** 16 hex characters of the SHA-256 of the lower-cased URL (Azure DevOps names are case-insensitive). */
  public String organizationId() {
    return HexFormat.of().formatHex(Sha256.of(url.toLowerCase(Locale.ROOT)), 0, 8);
  }
}
