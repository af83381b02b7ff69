package dev.bunker.store;

/** Fetching from a source or pushing to a target failed (unreachable, refused credentials, not a git repository). */
public class TransferException extends StoreException {
  public TransferException(String message) {
    super(message);
  }

  public TransferException(String message, Throwable cause) {
    super(message, cause);
  }
}
