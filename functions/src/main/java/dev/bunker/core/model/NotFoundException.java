package dev.bunker.core.model;

/** The thing a request names does not exist (or no longer does). */
public final class NotFoundException extends BunkerException {
  public NotFoundException(String what, String id) {
    super("no " + what + " with id '" + id + "'");
  }
}
