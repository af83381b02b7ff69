package dev.bunker.core.oauth;

/**
 * The organization's OAuth grant no longer works (consent revoked, refresh token expired or
 * withdrawn, the user must sign in again): the organization needs re-consent.
 */
public class ConsentRevokedException extends OAuthException {
  public ConsentRevokedException(String error, String message) {
    super(error, message);
  }
}
