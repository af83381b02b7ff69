package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.App;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.oauth.CallbackPage;
import dev.bunker.core.oauth.OAuthCallback;
import dev.bunker.core.oauth.OAuthConnections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Connecting an organization by signing in with Microsoft Entra ID: {@code GET /api/oauth/authorize}
 * sends an admin's browser to sign in, {@code GET /api/oauth/callback} finishes it with a small page,
 * and {@code GET /api/oauth/status} tells the console whether OAuth is set up at all. The callback is
 * anonymous: Entra ID sends the browser there, and it is protected by signed, single-use, expiring
 * state. Authorize and callback are opened in the console's sign-in window, so every answer of
 * theirs is a page that reports to the console (OAuth off, a refused URL, a failure), never JSON.
 */
public final class OAuthFunction {
  /** The answer of {@code GET /api/oauth/status}: whether {@code OAUTH_CLIENT_ID} is set. */
  public record Status(boolean configured) {}

  @FunctionName("oauthStatus")
  public HttpResponseMessage status(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "oauth/status",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, body -> Reply.ok(new Status(App.oauth().isPresent())));
  }

  @FunctionName("oauthAuthorize")
  public HttpResponseMessage authorize(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "oauth/authorize",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, AuditAction.START_OAUTH_CONNECTION, body -> {
      Optional<OAuthConnections> oauth = App.oauth();
      if (oauth.isEmpty()) {
        return notConfigured();
      }
      Map<String, String> query = req.getQueryParameters();
      var signIn = oauth.get().start(query.get("organizationUrl"), flag(query.get("adminConsent")), Http.actor(req));
      return new Reply(302, null, Map.of("Location", signIn.toString(), "Cache-Control", "no-store"));
    }, OAuthFunction::failurePage);
  }

  @FunctionName("oauthCallback")
  public HttpResponseMessage callback(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "oauth/callback",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handleAnonymous(req, AuditAction.FINISH_OAUTH_CONNECTION, body -> {
      Optional<OAuthConnections> oauth = App.oauth();
      if (oauth.isEmpty()) {
        return notConfigured();
      }
      OAuthConnections.Finished finished = oauth.get().finish(OAuthCallback.fromQuery(req.getQueryParameters()));
      return page(finished.page()).auditing(
          finished.renewsConsent() ? AuditAction.RENEW_OAUTH_CONSENT : AuditAction.FINISH_OAUTH_CONNECTION,
          finished.startedBy(), auditTargets(finished.page()));
    }, OAuthFunction::failurePage);
  }

  /**
   * A refusal or failure as the callback's page, posting it to the console that opened the window.
   * It is served from the address the console opened, so it tells the console's own origin.
   */
  private static Reply failurePage(Problem problem) {
    return page(CallbackPage.ofOwnOrigin().failed(problem.status(), null, problem.title() + ": " + problem.detail()));
  }

  /** OAuth is off: 404, in words the admin can act on. */
  private static Reply notConfigured() {
    return page(CallbackPage.ofOwnOrigin().failed(404, null, "Signing in with Microsoft Entra ID is not set up in this"
        + " deployment (OAUTH_CLIENT_ID is not set). Connect the organization with a personal access token in the"
        + " console's advanced mode, or ask whoever deployed Bunker to set up OAuth as docs/deploy.md describes"
        + " (\"Connect an Azure DevOps organization\")."));
  }

  private static Reply page(CallbackPage.Page page) {
    return Reply.page(page.status(), page.html(), page.headers());
  }

  /** The organization the callback connected or was for. */
  private static Map<String, String> auditTargets(CallbackPage.Page page) {
    Map<String, String> targets = new HashMap<>();
    if (page.organizationId() != null) {
      targets.put("organizationId", page.organizationId());
    }
    if (page.organizationUrl() != null) {
      targets.put("organizationUrl", page.organizationUrl());
    }
    return targets;
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
