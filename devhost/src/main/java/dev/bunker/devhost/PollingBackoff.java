package dev.bunker.devhost;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a queue trigger waits before polling again after a poll that found nothing, as the
 * Functions host's storage queue extension computes it: its {@code QueueListener} backs off with a
 * {@code RandomizedExponentialBackoffStrategy} from {@code QueuePollingIntervals.Minimum} (100 ms,
 * also the delta) to host.json's {@code maxPollingInterval} (Azure/azure-sdk-for-net,
 * sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Common/src/Shared/Queues/QueueListener.cs,
 * Queues/QueuePollingIntervals.cs and Timers/RandomizedExponentialBackoffStrategy.cs; Microsoft
 * Learn, "Azure Queue storage trigger for Azure Functions", polling algorithm). The first wait after
 * messages were found is the minimum; each further one is {@code minimum + r × 2^(n-1) × minimum},
 * {@code r} uniform in [0.8, 1.2), until that reaches the maximum, which then holds. A poll that found
 * messages is followed by the next one at once (once no more than {@code newBatchThreshold} run).
 * Never shorter than the host's waits: locally as slow between hops as in Azure.
 */
final class PollingBackoff {
  static final Duration MINIMUM = Duration.ofMillis(100);
  private static final double RANDOMIZATION = 0.2;

  private final Duration maximum;
  private final DoubleSupplier random;
  private Duration current = Duration.ZERO;
  private int exponent;

  /** {@code random} answers uniformly in [0, 1), as {@code Random.nextDouble}. */
  PollingBackoff(Duration maximum, DoubleSupplier random) {
    this.maximum = maximum;
    this.random = random;
  }

  /** The wait after an empty poll; {@code foundSinceLastWait}: a poll since the last wait found messages. */
  Duration next(boolean foundSinceLastWait) {
    if (foundSinceLastWait) {
      current = MINIMUM;
      exponent = 1;
    } else if (!current.equals(maximum)) {
      Duration backoff = MINIMUM;
      if (exponent > 0) {
        double factor = 1 - RANDOMIZATION + random.getAsDouble() * 2 * RANDOMIZATION;
        backoff = backoff.plusNanos((long) (factor * Math.pow(2, exponent - 1) * MINIMUM.toNanos()));
      }
      if (backoff.compareTo(maximum) < 0) {
        current = backoff;
        exponent++;
      } else {
        current = maximum;
      }
    }
    return current;
  }
}
