package dev.bunker.store;

/** A store operation that failed; the message names the repository (and blob, when one is at fault) and never carries credentials. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
