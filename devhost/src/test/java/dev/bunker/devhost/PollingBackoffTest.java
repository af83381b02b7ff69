package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits between empty polls follow the Functions host's RandomizedExponentialBackoffStrategy. */
class PollingBackoffTest {
  private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

  /** The waits after a poll that found messages and {@code emptyPolls - 1} empty ones after it, in ms. */
  private static List<Long> waitsAfterMessages(PollingBackoff backoff, int emptyPolls) {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < emptyPolls; i++) {
      waits.add(backoff.next(i == 0).toMillis());
    }
    return waits;
  }

  @Test
  void afterMessagesTheWaitsGrowFromTheMinimumByDoublingIncrementsUpToTheMaximum() {
    // r = 1: minimum + 2^(n-1) × minimum
    assertThat(waitsAfterMessages(new PollingBackoff(TWO_SECONDS, () -> 0.5), 9))
        .containsExactly(100L, 200L, 300L, 500L, 900L, 1700L, 2000L, 2000L, 2000L);
  }

  @Test
  void theShortestDrawIsFourFifthsOfEachIncrementAndTheLongestSixFifths() {
    assertThat(waitsAfterMessages(new PollingBackoff(TWO_SECONDS, () -> 0.0), 7))
        .containsExactly(100L, 180L, 260L, 420L, 740L, 1380L, 2000L);
    assertThat(waitsAfterMessages(new PollingBackoff(TWO_SECONDS, () -> 0.999_999), 6))
        .containsExactly(100L, 219L, 339L, 579L, 1059L, 2000L);
  }

  @Test
  void aListenerThatNeverFoundMessagesStartsAtTheMinimumToo() {
    PollingBackoff backoff = new PollingBackoff(TWO_SECONDS, () -> 0.5);
    assertThat(List.of(backoff.next(false), backoff.next(false), backoff.next(false)))
        .extracting(Duration::toMillis).containsExactly(100L, 200L, 300L);
  }

  @Test
  void messagesFoundAgainStartTheWaitsOver() {
    PollingBackoff backoff = new PollingBackoff(TWO_SECONDS, () -> 0.5);
    waitsAfterMessages(backoff, 10);
    assertThat(waitsAfterMessages(backoff, 3)).containsExactly(100L, 200L, 300L);
  }

  @Test
  void theDefaultMaximumIsReachedAfterTenWaits() {
    // host.json without maxPollingInterval: one minute
    List<Long> waits = waitsAfterMessages(new PollingBackoff(Duration.ofMinutes(1), () -> 0.5), 12);
    assertThat(waits).containsExactly(100L, 200L, 300L, 500L, 900L, 1700L, 3300L, 6500L, 12900L, 25700L, 51300L,
        60000L);
  }
}
