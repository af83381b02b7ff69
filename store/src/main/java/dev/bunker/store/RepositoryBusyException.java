package dev.bunker.store;

/** Another writer held the repository's lease for longer than this operation was willing to wait. */
public class RepositoryBusyException extends StoreException {
  public RepositoryBusyException(String message) {
    super(message);
  }

  public RepositoryBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
