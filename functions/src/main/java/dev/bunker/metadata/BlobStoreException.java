package dev.bunker.metadata;

/** Storage failed for one blob; the message names the blob, never a credential. */
public final class BlobStoreException extends RuntimeException {
  public BlobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
