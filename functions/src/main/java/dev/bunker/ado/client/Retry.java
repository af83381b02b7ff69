package dev.bunker.ado.client;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which failed attempts are made again, how many times, and how long to wait in between: one
 * list of retryable failures ({@link #isRetriable}) and exponential backoff with jitter.
 */
final class Retry {
  private static final Logger LOG = Logger.getLogger("dev.bunker.ado");

  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Random random;

  Retry(int maxAttempts, Duration baseBackoff, Duration maxBackoff, Random random) {
    this.maxAttempts = maxAttempts;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
    this.random = random;
  }

  /**
   * The one list of failures worth another attempt ({@code error} when no answer came, else the
   * answer's {@code status}). A refused connection, 429 (throttled) and 503 surely had no effect, so
   * any request is made again; a timeout, a dropped connection, 500, 502 and 504 may have had one,
   * so only a request that is safe to repeat is.
   */
  static boolean isRetriable(IOException error, int status, boolean idempotent) {
    if (error != null) {
      return error instanceof ConnectException || idempotent;
    }
    return switch (status) {
      case 429, 503 -> true;
      case 500, 502, 504 -> idempotent;
      default -> false;
    };
  }

  /** Whether attempt number {@code attempt}, which failed so, is followed by another. */
  boolean again(int attempt, IOException error, int status, boolean idempotent) {
    return attempt < maxAttempts && isRetriable(error, status, idempotent);
  }

  /** Exponential backoff with jitter: half fixed, half random, so retries from many workers spread. */
  Duration backoff(int attempt) {
    long base = baseBackoff.toMillis();
    long ceiling = Math.min(maxBackoff.toMillis(), base << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0)));
  }

  void log(String what, String failure, int attempt, Duration wait) {
    LOG.log(Level.WARNING, () -> "Retrying " + what + " after " + failure + " (attempt " + attempt
        + " of " + maxAttempts + "), waiting " + wait.toMillis() + " ms");
  }
}
