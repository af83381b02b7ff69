package dev.bunker.store;

import java.io.IOException;

/**
 * Storage did not answer a read of a blob it has (network, throttling, a timeout): unlike a
 * missing or short blob, says nothing about the data, so a verification that meets it is retried,
 * never reported as damage.
 */
final class BlobUnavailableException extends IOException {
  BlobUnavailableException(String message, IOException cause) {
    super(message, cause);
  }
}
