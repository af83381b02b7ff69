package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses state-changing requests that a browser sends on behalf of another site (cross-site
 * request forgery: a page elsewhere posting to Bunker with the admin's sign-in cookie). Browsers
 * mark such requests with {@code Sec-Fetch-Site} and {@code Origin}, which a page cannot forge;
 * the console is served by the app itself, so its requests are same-origin. Requests that carry
 * neither header (curl, scripts, automation) are not a browser acting for someone else and pass.
 */
final class CrossSite {
  /** Methods that change nothing (RFC 9110 section 9.2.1); every other one is checked. */
  private static final Set<HttpMethod> SAFE = EnumSet.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.TRACE);
  /** {@code Sec-Fetch-Site} values of requests the user or the app's own pages started (Fetch Metadata spec). */
  private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

  private CrossSite() {}

  static boolean changesState(HttpRequestMessage<?> request) {
    return request.getHttpMethod() == null || !SAFE.contains(request.getHttpMethod());
  }

  /** Why the request must be refused; empty when it is safe, or from the app's own origin, or not from a browser. */
  static Optional<String> refusal(HttpRequestMessage<?> request) {
    if (!changesState(request)) {
      return Optional.empty();
    }
    String fetchSite = Http.header(request.getHeaders(), "sec-fetch-site");
    if (fetchSite != null && !OWN_FETCH_SITES.contains(fetchSite.strip().toLowerCase(Locale.ROOT))) {
      return Optional.of("the browser marked this request Sec-Fetch-Site: " + fetchSite.strip()
          + "; Bunker changes nothing for pages of another origin, only for its own console");
    }
    String origin = Http.header(request.getHeaders(), "origin");
    if (origin == null) {
      return Optional.empty();
    }
    List<String> own = ownAuthorities(request);
    if (own.stream().anyMatch(authority -> sameHostAndPort(origin.strip(), authority))) {
      return Optional.empty();
    }
    return Optional.of("Origin " + origin.strip() + " is not this app's own origin (" + String.join(", ", own)
        + "); Bunker changes nothing for pages of another origin, only for its own console. Behind a proxy that"
        + " rewrites Host, pass the public host in X-Forwarded-Host");
  }

  /**
   * Host and port the app is addressed by: what a proxy in front forwarded (X-Forwarded-Host, the
   * client-facing first entry), the Host header and the URL the worker was given. A web page can
   * set none of them on a request to another origin without the CORS preflight Bunker never grants.
   */
  private static List<String> ownAuthorities(HttpRequestMessage<?> request) {
    List<String> authorities = new ArrayList<>();
    String forwarded = Http.header(request.getHeaders(), "x-forwarded-host");
    if (forwarded != null && !forwarded.isBlank()) {
      authorities.add(forwarded.split(",")[0].strip());
    }
    String host = Http.header(request.getHeaders(), "host");
    if (host != null && !host.isBlank()) {
      authorities.add(host.strip());
    }
    URI uri = request.getUri();
    if (uri != null && uri.getRawAuthority() != null) {
      authorities.add(uri.getRawAuthority());
    }
    return authorities.stream().distinct().toList();
  }

  /**
   * Whether {@code origin} (scheme://host[:port]) names {@code authority} (host[:port]). The scheme
   * is not compared: behind App Service's front end, which ends TLS, the worker may see http for an
   * https request; a missing port is the origin scheme's default.
   */
  private static boolean sameHostAndPort(String origin, String authority) {
    try {
      URI page = new URI(origin);
      URI own = new URI("//" + authority);
      if (page.getHost() == null || own.getHost() == null || page.getRawPath() != null && !page.getRawPath().isEmpty()
          || !("http".equalsIgnoreCase(page.getScheme()) || "https".equalsIgnoreCase(page.getScheme()))) {
        return false;
      }
      int defaultPort = "https".equalsIgnoreCase(page.getScheme()) ? 443 : 80;
      int pagePort = page.getPort() < 0 ? defaultPort : page.getPort();
      int ownPort = own.getPort() < 0 ? defaultPort : own.getPort();
      return page.getHost().equalsIgnoreCase(own.getHost()) && pagePort == ownPort;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
