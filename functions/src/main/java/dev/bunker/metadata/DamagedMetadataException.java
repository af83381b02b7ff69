package dev.bunker.metadata;

/**
 * A metadata snapshot's stored JSON (its manifest or an index chunk) does not read: damage to the
 * backup store, not healed by retrying. The message names the blob, never its content. The core
 * knows this type, not the JSON codec's own exception.
 */
public final class DamagedMetadataException extends RuntimeException {
  DamagedMetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
