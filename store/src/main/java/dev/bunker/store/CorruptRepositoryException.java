package dev.bunker.store;

/** Stored data that cannot be read as it should: a corrupt or truncated blob, a pack named in the manifest that is missing, a manifest of an unknown format version. */
public class CorruptRepositoryException extends StoreException {
  public CorruptRepositoryException(String message) {
    super(message);
  }

  public CorruptRepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
