package dev.bunker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.audit.AuditTrail;
import dev.bunker.core.memory.InMemoryAuditLog;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.ValidationException;
import dev.bunker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final InMemoryAuditLog log = new InMemoryAuditLog();
  private final AuditTrail trail = new AuditTrail(log, clock, new CountingIds(), AuditTrail.DEFAULT_RETENTION_DAYS);

  private void record(String organizationId, int status) {
    trail.record(AuditEntry.Actor.LOCAL, null, AuditAction.DELETE_ORGANIZATION,
        Map.of("organizationId", organizationId), status, status >= 400 ? "conflict" : null);
    clock.advance(Duration.ofSeconds(1));
  }

  @Test
  void anEntryTakesTheTimeOfTheClockAndItsOutcomeFromTheStatus() {
    record("org1", 204);
    record("org1", 409);
    record("org1", 503);

    assertThat(log.all()).extracting(AuditEntry::outcome).containsExactly(AuditEntry.Outcome.FAILED,
        AuditEntry.Outcome.REFUSED, AuditEntry.Outcome.SUCCEEDED);
    assertThat(log.all().get(2).time()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
    assertThat(log.all().get(2).organizationId()).isEqualTo("org1");
  }

  @Test
  void pagesEndWithoutAContinuation() {
    for (int i = 0; i < 5; i++) {
      record("org" + (i % 2), 204);
    }

    AuditTrail.Page first = trail.list(null, "2", null, null);
    AuditTrail.Page second = trail.list(null, "2", null, first.continuation());
    AuditTrail.Page last = trail.list(null, "2", null, second.continuation());

    assertThat(first.entries()).hasSize(2);
    assertThat(second.entries()).hasSize(2);
    assertThat(last.entries()).hasSize(1);
    assertThat(last.continuation()).isNull();
    assertThat(trail.list(null, "5", null, null).continuation()).isNull();
    assertThat(trail.list("2026-05-01T10:00:03Z", null, "org0", null).entries()).hasSize(1);
    assertThat(trail.list("2026-05-01", null, null, null).entries()).hasSize(5);
  }

  @Test
  void badParametersAreNamedAllAtOnce() {
    assertThatThrownBy(() -> trail.list("yesterday", "0", "o'1", "page2"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("since", "top", "organizationId", "continuation"));
    assertThatThrownBy(() -> trail.list(null, String.valueOf(AuditTrail.MAX_TOP + 1), null, null))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void entriesAreKeptAtLeastAYear() {
    assertThatThrownBy(() -> new AuditTrail(log, clock, new CountingIds(), 365))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("366");
    Instant recorded = clock.instant();
    record("org1", 204);
    record("org1", 204);
    clock.set(recorded.plus(Duration.ofDays(AuditTrail.DEFAULT_RETENTION_DAYS)));

    assertThat(trail.applyRetention()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(trail.applyRetention()).isEqualTo(1);
    assertThat(log.all()).hasSize(1);
  }
}
