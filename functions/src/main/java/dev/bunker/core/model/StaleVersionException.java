package dev.bunker.core.model;

/** A conditional write lost a race: the record changed since it was read. */
public final class StaleVersionException extends ConflictException {
  public StaleVersionException(String what, String id) {
    super(what + " '" + id + "' was changed concurrently; read it again and retry");
  }
}
