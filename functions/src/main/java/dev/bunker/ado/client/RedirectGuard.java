package dev.bunker.ado.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Sends a request with Bunker's headers, following redirects only while they stay on the
 * allow-list and off sign-in pages (a redirect to sign in means the credential was not accepted).
 * The HTTP client itself never follows redirects.
 */
final class RedirectGuard {
  static final String FED_AUTH_REDIRECT = "X-TFS-FedAuthRedirect";
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> SIGN_IN_HOSTS = Set.of("login.microsoftonline.com",
      "login.microsoft.com", "login.windows.net", "login.live.com");
  private static final int MAX_REDIRECTS = 5;

  private final BoundedSender sender;
  private final AllowList allowList;
  private final Duration requestTimeout;

  RedirectGuard(BoundedSender sender, AllowList allowList, Duration requestTimeout) {
    this.sender = sender;
    this.allowList = allowList;
    this.requestTimeout = requestTimeout;
  }

  Received send(OrganizationUrl organization, OrganizationState state, Credential credential, AdoRequest request,
      URI uri) throws IOException {
    URI target = uri;
    String verb = request.method();
    AdoRequest.Payload payload = request.payload();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!allowList.allows(target)) {
        throw new OrganizationNotAllowedException(organization, target, "the organization redirected there");
      }
      HttpRequest.Builder http = HttpRequest.newBuilder(target)
          .timeout(requestTimeout)
          .header("Authorization", credential.authorization())
          .header("Accept", request.accept().mediaType)
          .header(FED_AUTH_REDIRECT, "Suppress")
          .header("User-Agent", "Bunker");
      request.headers().forEach(http::setHeader);
      if (payload != null) {
        http.header("Content-Type", payload.contentType()).method(verb, payload.publisher().get());
        if (payload.contentRange() != null) {
          http.header("Content-Range", payload.contentRange());
        }
      } else {
        http.method(verb, HttpRequest.BodyPublishers.noBody());
      }
      Received response = sender.send(organization, state, http.build(), request.reader() != null);
      if (!REDIRECTS.contains(response.statusCode())) {
        return response;
      }
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        return response;
      }
      URI next = target.resolve(location.get());
      if (isSignIn(next)) {
        throw new CredentialNotAcceptedException(organization, "redirected to a sign-in page");
      }
      if (!allowList.allows(next)) {
        throw new OrganizationNotAllowedException(organization, next, "the organization redirected there");
      }
      if (response.statusCode() == 303) {
        verb = "GET";
        payload = null;
      }
      target = next;
    }
    throw new AzureDevOpsRequestException(organization, "More than " + MAX_REDIRECTS + " redirects from "
        + organization, 0, null, null);
  }

  private static boolean isSignIn(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
    return SIGN_IN_HOSTS.contains(host) || path.contains("/_signin") || path.contains("/oauth2/");
  }
}
