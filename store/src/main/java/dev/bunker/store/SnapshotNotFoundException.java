package dev.bunker.store;

/** A snapshot id that the repository does not have. */
public class SnapshotNotFoundException extends StoreException {
  public SnapshotNotFoundException(String message) {
    super(message);
  }

  public SnapshotNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
