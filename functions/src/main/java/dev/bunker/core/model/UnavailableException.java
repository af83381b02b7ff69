package dev.bunker.core.model;

/** A part Bunker needs is not configured or not answering; the request may succeed later. */
public final class UnavailableException extends BunkerException {
  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
