package dev.bunker.core.model;

/** The request is valid but clashes with the current state (a duplicate, a credential in use). */
public class ConflictException extends BunkerException {
  public ConflictException(String message) {
    super(message);
  }
}
