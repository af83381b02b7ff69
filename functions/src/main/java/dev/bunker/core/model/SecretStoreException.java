package dev.bunker.core.model;

/**
 * A secret store could not do what was asked (unreachable, forbidden, invalid name). The message
 * names the secret and the reason, never its value.
 */
public class SecretStoreException extends RuntimeException {
  public SecretStoreException(String message) {
    super(message);
  }

  public SecretStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
