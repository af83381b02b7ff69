package dev.bunker.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link OAuthStateLedger} promises. */
public abstract class OAuthStateLedgerContract {
  private static final Instant EXPIRY = Instant.parse("2026-11-25T12:10:00Z");

  protected abstract OAuthStateLedger ledger();

  private static String nonce() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
  }

  @Test
  void aSignInCanBeCompletedOnce() {
    String nonce = nonce();
    assertThat(ledger().claim(nonce, EXPIRY)).isTrue();
    assertThat(ledger().claim(nonce, EXPIRY)).isFalse();
    assertThat(ledger().claim(nonce, EXPIRY.plusSeconds(600))).isFalse();
  }

  @Test
  void signInsAreIndependent() {
    assertThat(ledger().claim(nonce(), EXPIRY)).isTrue();
    assertThat(ledger().claim(nonce(), EXPIRY)).isTrue();
  }

  @Test
  void ofRacingCallbacksExactlyOneWins() throws Exception {
    String nonce = nonce();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racers.add(() -> ledger().claim(nonce, EXPIRY));
      }
      long winners = 0;
      for (Future<Boolean> result : pool.invokeAll(racers)) {
        winners += result.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void forgettingExpiredEntriesKeepsLiveOnes() {
    String expired = nonce();
    String live = nonce();
    ledger().claim(expired, EXPIRY.minusSeconds(1));
    ledger().claim(live, EXPIRY.plusSeconds(1));

    ledger().forgetExpired(EXPIRY);

    assertThat(ledger().claim(live, EXPIRY.plusSeconds(1))).isFalse();
    assertThat(ledger().claim(expired, EXPIRY.minusSeconds(1))).isTrue();
  }
}
