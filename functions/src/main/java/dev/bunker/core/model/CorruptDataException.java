package dev.bunker.core.model;

/**
 * Data Bunker stored cannot be read back (a blob or a table column that is not the JSON Bunker
 * wrote): damage to the backup store, not a bad request, and not healed by retrying. The message
 * names where the data is, never its content.
 */
public final class CorruptDataException extends BunkerException {
  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
