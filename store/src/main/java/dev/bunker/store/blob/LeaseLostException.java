package dev.bunker.store.blob;

import java.io.IOException;

/** A lease that is held by someone else, or that expired and was taken over. */
public class LeaseLostException extends IOException {
  public LeaseLostException(String message) {
    super(message);
  }

  public LeaseLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
