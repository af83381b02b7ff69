package dev.bunker.store.blob;

import java.io.IOException;

/** A conditional write whose precondition did not hold: someone else changed the blob first. */
public class ConditionFailedException extends IOException {
  public ConditionFailedException(String message) {
    super(message);
  }

  public ConditionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
