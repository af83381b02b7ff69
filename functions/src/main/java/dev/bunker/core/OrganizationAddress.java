package dev.bunker.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    boolean cloud = host.equals("dev.azure.com") || host.endsWith(".visualstudio.com");
    return new OrganizationAddress(scheme + "://" + host + port + path, cloud ? OrganizationKind.CLOUD : OrganizationKind.SERVER);
  }

  /** 16 hex characters of the SHA-256 of the lower-cased URL (Azure DevOps names are case-insensitive). */
  public String organizationId() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(url.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
