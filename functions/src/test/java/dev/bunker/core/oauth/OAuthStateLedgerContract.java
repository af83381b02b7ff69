package dev.bunker.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.model.AuditEntry;
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
  void remembersWhoStartedASignIn() {
    String nonce = nonce();
    AuditEntry.Actor admin = new AuditEntry.Actor("admin@contoso.com", "2f1c9a4e-0000-4000-8000-00000000000a");
    ledger().begin(nonce, admin, EXPIRY);
    String local = nonce();
    ledger().begin(local, AuditEntry.Actor.LOCAL, EXPIRY);

    assertThat(ledger().startedBy(nonce)).contains(admin);
    assertThat(ledger().startedBy(local)).contains(AuditEntry.Actor.LOCAL);
    assertThat(ledger().claim(nonce, EXPIRY)).isTrue();
    assertThat(ledger().startedBy(nonce)).contains(admin);
    assertThat(ledger().startedBy(nonce())).isEmpty();
  }

  @Test
  void forgettingExpiredEntriesForgetsWhoStartedThemToo() {
    String expired = nonce();
    String live = nonce();
    ledger().begin(expired, AuditEntry.Actor.LOCAL, EXPIRY.minusSeconds(1));
    ledger().begin(live, AuditEntry.Actor.LOCAL, EXPIRY.plusSeconds(1));

    ledger().forgetExpired(EXPIRY);

    assertThat(ledger().startedBy(expired)).isEmpty();
    assertThat(ledger().startedBy(live)).contains(AuditEntry.Actor.LOCAL);
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
