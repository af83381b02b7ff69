package dev.bunker.store.blob;

import java.io.IOException;

/** A blob that does not exist. */
public class BlobNotFoundException extends IOException {
  public BlobNotFoundException(String message) {
    super(message);
  }

  public BlobNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
