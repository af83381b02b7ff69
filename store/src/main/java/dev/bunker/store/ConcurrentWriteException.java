package dev.bunker.store;

/** Another writer changed the repository meanwhile (lost lease, conflicting manifest write); nothing of this operation became visible, and retrying is safe. */
public class ConcurrentWriteException extends StoreException {
  public ConcurrentWriteException(String message) {
    super(message);
  }

  public ConcurrentWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
