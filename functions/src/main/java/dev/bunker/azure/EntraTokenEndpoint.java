package dev.bunker.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.core.oauth.ConsentRevokedException;
import dev.bunker.core.oauth.Messages;
import dev.bunker.core.oauth.OAuthException;
import dev.bunker.core.oauth.OAuthSettings;
import dev.bunker.core.oauth.TokenEndpoint;
import dev.bunker.core.oauth.TokenGrant;
import dev.bunker.core.port.SecretStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Entra ID's v2.0 token endpoint, spoken directly over HTTP (a form POST with the client secret).
 * MSAL4J is not used: it keeps refresh tokens in its own cache instead of handing the rotated
 * one back for Bunker to store, and it validates authorities against Microsoft's cloud, which
 * rules out a local test server.
 */
public final class EntraTokenEndpoint implements TokenEndpoint {
  /** Errors meaning the grant itself is gone and only a new sign-in helps. */
  private static final Set<String> GRANT_GONE = Set.of("invalid_grant", "interaction_required", "consent_required");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OAuthSettings settings;
  private final SecretStore secrets;
  private final HttpClient http;
  private final Clock clock;

  public EntraTokenEndpoint(OAuthSettings settings, SecretStore secrets, HttpClient http, Clock clock) {
    this.settings = settings;
    this.secrets = secrets;
    this.http = http;
    this.clock = clock;
  }

  /** An HTTP client suited to the token endpoint. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public TokenGrant redeem(String code, String codeVerifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", settings.redirectUri().toString());
    form.put("code_verifier", codeVerifier);
    form.put("scope", OAuthSettings.SCOPE);
    return post(form, "redeem the authorization code", false);
  }

  @Override
  public TokenGrant refresh(String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("scope", OAuthSettings.SCOPE);
    return post(form, "refresh the access token", true);
  }

  private TokenGrant post(Map<String, String> form, String action, boolean refreshing) {
    form.put("client_id", settings.clientId());
    form.put("client_secret", clientSecret());
    HttpRequest request = HttpRequest.newBuilder(settings.tokenEndpoint())
        .timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OAuthException("unavailable", "could not " + action + ": the Entra ID token endpoint "
          + settings.tokenEndpoint() + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OAuthException("unavailable", "interrupted while trying to " + action);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() == 200 && body.hasNonNull("access_token")) {
      long expiresIn = body.path("expires_in").asLong(3600);
      return new TokenGrant(body.get("access_token").asText(),
          Optional.ofNullable(body.path("refresh_token").asText(null)).filter(token -> !token.isEmpty()),
          clock.instant().plusSeconds(expiresIn));
    }
    String error = Messages.printable(body.path("error").asText(""));
    // Entra's descriptions carry AADSTS codes and trace ids, never the tokens sent.
    String description = body.path("error_description").asText("");
    String message = "could not " + action + ": Entra ID answered HTTP " + response.statusCode()
        + (error.isEmpty() ? "" : " " + error) + Messages.describe(description);
    if (refreshing && GRANT_GONE.contains(error)) {
      throw new ConsentRevokedException(error, message + "; the organization must be connected again");
    }
    throw new OAuthException(
        error.isEmpty() ? (response.statusCode() >= 500 ? "unavailable" : "invalid_response") : error,
        message);
  }

  private String clientSecret() {
    return secrets.get(settings.clientSecretName()).orElseThrow(() -> new OAuthException("invalid_client",
        "the OAuth client secret '" + settings.clientSecretName() + "' is not in the secret store"));
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
