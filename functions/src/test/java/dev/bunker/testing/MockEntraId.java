package dev.bunker.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.http.SslKeystore;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * Entra ID for tests: mock-oauth2-server (authorization code with PKCE, rotating refresh tokens)
 * with Entra's URL layout ({@code /{tenant}/oauth2/v2.0/authorize|token}) and revocable grants.
 */
public final class MockEntraId implements AutoCloseable {
  public static final String TENANT = "contoso-tenant";
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final MockOAuth2Server server;
  private final HttpClient browser = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

  public MockEntraId() {
    this(new MockWebServerWrapper());
  }

  /** Served over HTTPS with {@code certificate}, as MSAL (azure-identity) insists on. */
  public MockEntraId(SelfSignedCertificate certificate) {
    this(new MockWebServerWrapper(new Ssl(new SslKeystore(certificate.password(), certificate.keyStore()))));
  }

  private MockEntraId(MockWebServerWrapper http) {
    OAuth2Config config = new OAuth2Config(false, null, null, true, new OAuth2TokenProvider(), Set.of(), http);
    server = new MockOAuth2Server(config, new RevokedGrants());
    server.start();
  }

  /** The authority to configure, e.g. {@code http://localhost:port/contoso-tenant}. */
  public URI authority() {
    return URI.create(server.url(TENANT).toString());
  }

  /** From now on, refreshing with {@code refreshToken} fails as a revoked grant does in Entra ID. */
  public void revoke(String refreshToken) {
    revoked.add(refreshToken);
  }

  /**
   * What a browser gets for the authorization URL: the redirect's query (code and state, or error).
   * When the request asks for consent, the user signs in as {@code admin@contoso.example} on the
   * login page and consents.
   */
  public Map<String, String> signIn(URI authorizationUrl) {
    try {
      HttpResponse<String> response = browser.send(HttpRequest.newBuilder(authorizationUrl).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        response = browser.send(HttpRequest.newBuilder(authorizationUrl)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=admin%40contoso.example")).build(),
            HttpResponse.BodyHandlers.ofString());
      }
      if (response.statusCode() != 302) {
        throw new IllegalStateException("sign-in answered " + response.statusCode() + ": " + response.body());
      }
      return query(URI.create(response.headers().firstValue("Location").orElseThrow()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    return query;
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.shutdown();
  }

  /** Answers a refresh with a revoked token as Entra ID does: 400 invalid_grant with an AADSTS code. */
  private final class RevokedGrants implements Route {
    @Override
    public boolean match(OAuth2HttpRequest request) {
      String path = request.getUrl().encodedPath();
      Map<String, String> form = Arrays.stream(String.valueOf(request.getBody()).split("&"))
          .map(pair -> pair.split("=", 2)).filter(kv -> kv.length == 2)
          .collect(Collectors.toMap(kv -> decode(kv[0]), kv -> decode(kv[1]), (a, b) -> a));
      return path.endsWith("/token") && "refresh_token".equals(form.get("grant_type"))
          && revoked.contains(form.get("refresh_token"));
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
      String body = "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant has expired"
          + " due to it being revoked, a fresh auth token is needed. Trace ID: 0000\",\"error_codes\":[50173]}";
      return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 400, body, null);
    }
  }
}
