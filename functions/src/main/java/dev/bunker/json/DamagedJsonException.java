package dev.bunker.json;

/**
 * Text Bunker stored itself (a blob, a table column) that is not the JSON it writes: damage to the
 * store, not a bad request, and not healed by retrying. The message names where the text is, never
 * its content.
 */
public final class DamagedJsonException extends RuntimeException {
  DamagedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
