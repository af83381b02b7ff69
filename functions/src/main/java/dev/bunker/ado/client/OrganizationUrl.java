package dev.bunker.ado.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URL of an Azure DevOps organization or Azure DevOps Server collection, checked and put in
 * one canonical form (lower-case host, no default port, no trailing slash):
 * {@code https://dev.azure.com/{organization}}, {@code https://{organization}.visualstudio.com},
 * or {@code http(s)://{server}[/{virtual directory}]/{collection}}.
 *
 * @param name the organization name, or the collection name of a Server collection
 */
public record OrganizationUrl(URI uri, Kind kind, String name) {

  /** Azure DevOps Services, or an Azure DevOps Server collection. */
  public enum Kind { CLOUD, SERVER }

  static final String CLOUD_HOST = "dev.azure.com";
  static final String LEGACY_CLOUD_SUFFIX = ".visualstudio.com";
  private static final Pattern ORGANIZATION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,49}");

  public OrganizationUrl {
    if (uri == null || kind == null || name == null) {
      throw new IllegalArgumentException("uri, kind and name are required");
    }
  }

  /** Parses what a user typed; the message of the exception says what was wrong. */
  public static OrganizationUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidOrganizationUrlException(text, "an organization URL is required");
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new InvalidOrganizationUrlException(text, "it is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new InvalidOrganizationUrlException(text, "it must start with https://");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidOrganizationUrlException(text,
          "it must not contain a user name or password (credentials are registered separately)");
    }
    if (uri.getHost() == null) {
      throw new InvalidOrganizationUrlException(text, "it names no host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InvalidOrganizationUrlException(text, "it must not have a query (?…) or fragment (#…)");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
    List<String> segments = segments(uri.getRawPath());
    for (String segment : segments) {
      if (segment.startsWith("_") || segment.equals(".") || segment.equals("..")) {
        throw new InvalidOrganizationUrlException(text, "it points inside an organization; give the "
            + "organization URL itself, e.g. https://dev.azure.com/contoso");
      }
    }
    if (host.equals(CLOUD_HOST)) {
      requireHttps(text, scheme, port);
      if (segments.size() != 1) {
        throw new InvalidOrganizationUrlException(text, segments.isEmpty()
            ? "it names no organization: use https://dev.azure.com/{organization}"
            : "it names more than an organization: use https://dev.azure.com/{organization}");
      }
      String name = cloudName(text, segments.get(0));
      return new OrganizationUrl(build(scheme, host, port, segments), Kind.CLOUD, name);
    }
    if (host.endsWith(LEGACY_CLOUD_SUFFIX)) {
      requireHttps(text, scheme, port);
      String label = host.substring(0, host.length() - LEGACY_CLOUD_SUFFIX.length());
      boolean defaultCollection = segments.size() == 1 && segments.get(0).equalsIgnoreCase("DefaultCollection");
      if (label.contains(".") || !(segments.isEmpty() || defaultCollection)) {
        throw new InvalidOrganizationUrlException(text, "use https://{organization}.visualstudio.com");
      }
      return new OrganizationUrl(build(scheme, host, port, segments), Kind.CLOUD, cloudName(text, label));
    }
    if (segments.isEmpty()) {
      throw new InvalidOrganizationUrlException(text, "an Azure DevOps Server URL names a collection, "
          + "e.g. https://ado.contoso.local/tfs/DefaultCollection");
    }
    return new OrganizationUrl(build(scheme, host, port, segments), Kind.SERVER,
        decode(segments.get(segments.size() - 1)));
  }

  /**
   * Where {@code service}'s REST APIs of this organization are served: {@code
   * https://{service}.dev.azure.com/{org}}, {@code https://{org}.{service}.visualstudio.com} for a
   * legacy URL, and the collection URL itself for Azure DevOps Server (and for {@link Service#CORE}).
   */
  public OrganizationUrl at(Service service) {
    if (service == Service.CORE || kind == Kind.SERVER) {
      return this;
    }
    String host = uri.getHost();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String serviceHost = host.equals(CLOUD_HOST) ? service.hostLabel() + "." + CLOUD_HOST
        : host.substring(0, host.length() - LEGACY_CLOUD_SUFFIX.length()) + "." + service.hostLabel()
            + LEGACY_CLOUD_SUFFIX;
    return new OrganizationUrl(URI.create("https://" + serviceHost + path), kind, name);
  }

  /**
   * Whether {@code host} (lower case) is one of Azure DevOps Services' own: {@code dev.azure.com},
   * {@code {organization}.visualstudio.com}, or the host of a {@link Service} for either.
   */
  static boolean isCloudHost(String host) {
    if (host.equals(CLOUD_HOST)) {
      return true;
    }
    if (host.endsWith("." + CLOUD_HOST)) {
      return Service.ofHostLabel(host.substring(0, host.length() - CLOUD_HOST.length() - 1)).isPresent();
    }
    if (!host.endsWith(LEGACY_CLOUD_SUFFIX)) {
      return false;
    }
    String[] labels = host.substring(0, host.length() - LEGACY_CLOUD_SUFFIX.length()).split("\\.", -1);
    return !labels[0].isEmpty() && (labels.length == 1
        || labels.length == 2 && Service.ofHostLabel(labels[1]).isPresent());
  }

  /** {@code value} as one path segment or query value of a URL (a space as {@code %20}, not {@code +}). */
  public static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code relativePath} (already encoded, no leading slash) under this organization. */
  public URI resolve(String relativePath) {
    return URI.create(uri + "/" + relativePath);
  }

  @Override
  public String toString() {
    return uri.toString();
  }

  private static void requireHttps(String text, String scheme, int port) {
    if (!scheme.equals("https") || port != -1) {
      throw new InvalidOrganizationUrlException(text, "Azure DevOps Services is reached over https only");
    }
  }

  private static String cloudName(String text, String candidate) {
    String name = decode(candidate);
    if (!ORGANIZATION_NAME.matcher(name).matches()) {
      throw new InvalidOrganizationUrlException(text, "'" + name + "' is not a valid organization name");
    }
    return name;
  }

  private static List<String> segments(String rawPath) {
    if (rawPath == null) {
      return List.of();
    }
    return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  private static URI build(String scheme, String host, int port, List<String> segments) {
    return URI.create(scheme + "://" + host + (port == -1 ? "" : ":" + port)
        + (segments.isEmpty() ? "" : "/" + String.join("/", segments)));
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static String decode(String segment) {
    return URI.create("x:/" + segment).getPath().substring(1);
  }
}
