package dev.bunker.core.oauth;

import java.util.Map;

/**
 * The query of a redirect to {@code /api/oauth/callback}: a code and state on success, an error
 * (e.g. {@code access_denied} when the user declined) and state otherwise.
 */
public record OAuthCallback(String code, String state, String error, String errorDescription) {
  public static OAuthCallback fromQuery(Map<String, String> query) {
    return new OAuthCallback(query.get("code"), query.get("state"), query.get("error"), query.get("error_description"));
  }
}
