package dev.bunker.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling for asynchronous outcomes (queue workers), with a deadline and what was last seen. */
final class Waiting {
  private Waiting() {}

  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    Instant deadline = Instant.now().plus(timeout);
    T value = probe.get();
    while (!done.test(value)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("gave up after " + timeout + " waiting for " + what + "; last seen: " + value);
      }
      pause(Duration.ofMillis(300));
      value = probe.get();
    }
    return value;
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
