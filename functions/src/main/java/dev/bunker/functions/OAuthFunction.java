package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.App;
import dev.bunker.core.ValidationException;
import dev.bunker.core.oauth.CallbackPage;
import dev.bunker.core.oauth.OAuthCallback;
import dev.bunker.core.oauth.OAuthConnections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Connecting an organization by signing in with Microsoft Entra ID: {@code GET /api/oauth/authorize}
 * sends an admin's browser to sign in, {@code GET /api/oauth/callback} finishes it with a small page.
 * The callback is anonymous: Entra ID sends the browser there, and it is protected by signed,
 * single-use, expiring state. When OAuth is off both answer 404.
 */
public final class OAuthFunction {
  @FunctionName("oauthAuthorize")
  public HttpResponseMessage authorize(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "oauth/authorize",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, body -> {
      Optional<OAuthConnections> oauth = App.oauth();
      if (oauth.isEmpty()) {
        return notConfigured();
      }
      Map<String, String> query = req.getQueryParameters();
      var signIn = oauth.get().start(query.get("organizationUrl"), flag(query.get("adminConsent")));
      return new Reply(302, null, Map.of("Location", signIn.toString(), "Cache-Control", "no-store"));
    });
  }

  @FunctionName("oauthCallback")
  public HttpResponseMessage callback(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "oauth/callback",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    Optional<OAuthConnections> oauth;
    try {
      oauth = App.oauth();
    } catch (RuntimeException e) {
      return Http.handleAnonymous(req, body -> {
        throw e; // the wiring failed: answered as problem+json
      });
    }
    if (oauth.isEmpty()) {
      return Http.handleAnonymous(req, body -> notConfigured());
    }
    CallbackPage.Page page = oauth.get().finish(OAuthCallback.fromQuery(req.getQueryParameters()));
    HttpResponseMessage.Builder response = req.createResponseBuilder(HttpStatusType.custom(page.status()));
    page.headers().forEach(response::header);
    return response.body(page.html()).build();
  }

  private static Reply notConfigured() {
    Problem problem = Problem.of(404, "oauth-not-configured", "OAuth is not configured",
        "connecting organizations by signing in with Microsoft Entra ID is off in this deployment (OAUTH_CLIENT_ID is"
            + " not set); register them with a personal access token instead");
    return new Reply(404, problem, Map.of());
  }

  private static boolean flag(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw ValidationException.of("adminConsent", "must be true or false");
    };
  }
}
