package dev.bunker.core.oauth;

/**
 * Signing in with Entra ID did not work: the identity provider refused (with its error code), or
 * could not be reached. Messages never contain codes, tokens or secrets.
 */
public class OAuthException extends RuntimeException {
  private final String error;

  public OAuthException(String error, String message) {
    super(message);
    this.error = error;
  }

  public OAuthException(String error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The OAuth error code ({@code invalid_grant}, {@code access_denied}, …), or {@code unavailable}. */
  public String error() {
    return error;
  }
}
