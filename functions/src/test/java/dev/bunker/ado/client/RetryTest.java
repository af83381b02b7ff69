package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one list of retryable failures, and the attempt budget around it. */
class RetryTest {

  @Test
  void failuresThatSurelyHadNoEffectAreRetriedForAnyMethod() {
    assertThat(Retry.isRetriable(new ConnectException("refused"), 0, false)).isTrue();
    assertThat(Retry.isRetriable(null, 429, false)).isTrue();
    assertThat(Retry.isRetriable(null, 503, false)).isTrue();
  }

  @Test
  void failuresThatMayHaveHadAnEffectAreRetriedOnlyWhenSafeToRepeat() {
    for (IOException unclear : new IOException[] {new HttpTimeoutException("slow"), new IOException("reset")}) {
      assertThat(Retry.isRetriable(unclear, 0, true)).isTrue();
      assertThat(Retry.isRetriable(unclear, 0, false)).isFalse();
    }
    for (int status : new int[] {500, 502, 504}) {
      assertThat(Retry.isRetriable(null, status, true)).isTrue();
      assertThat(Retry.isRetriable(null, status, false)).isFalse();
    }
  }

  @Test
  void answersThatWillNotChangeAreNeverRetried() {
    for (int status : new int[] {400, 401, 403, 404, 409, 501}) {
      assertThat(Retry.isRetriable(null, status, true)).as("status %d", status).isFalse();
    }
  }

  @Test
  void theLastAttemptIsNotFollowedByAnother() {
    Retry retry = new Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(7));
    assertThat(retry.again(2, null, 503, false)).isTrue();
    assertThat(retry.again(3, null, 503, false)).isFalse();
  }

  @Test
  void backoffGrowsButStaysUnderItsCeiling() {
    Retry retry = new Retry(10, Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(7));
    assertThat(retry.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(retry.backoff(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
    assertThat(retry.backoff(9)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
  }
}
