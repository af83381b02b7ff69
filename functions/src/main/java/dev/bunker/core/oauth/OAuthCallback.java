package dev.bunker.core.oauth;

import java.util.Map;

/**
 * The query of a redirect to {@code /api/oauth/callback}: a code and state on success, an error
 * (e.g. {@code access_denied} when the user declined) and state otherwise. Entra's admin consent
 * endpoint answers instead with {@code admin_consent} ({@code True} when an administrator consented
 * for the whole tenant) and the {@code tenant} it was granted in.
 */
public record OAuthCallback(String code, String state, String error, String errorDescription, String adminConsent,
    String tenant) {

  /** The answer of a sign-in (authorize endpoint). */
  public OAuthCallback(String code, String state, String error, String errorDescription) {
    this(code, state, error, errorDescription, null, null);
  }

  public static OAuthCallback fromQuery(Map<String, String> query) {
    return new OAuthCallback(query.get("code"), query.get("state"), query.get("error"), query.get("error_description"),
        query.get("admin_consent"), query.get("tenant"));
  }

  /** Whether this answers a request for an administrator's consent (it carries no code then). */
  public boolean answersAdminConsent() {
    return adminConsent != null;
  }
}
