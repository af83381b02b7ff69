package dev.bunker.core.model;

/**
 * A failure a caller can act on. Messages name what went wrong (which organization, which field),
 * never a secret. The HTTP layer maps each subclass to one status in one place.
 */
public abstract class BunkerException extends RuntimeException {
  protected BunkerException(String message) {
    super(message);
  }

  protected BunkerException(String message, Throwable cause) {
    super(message, cause);
  }
}
