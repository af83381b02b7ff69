package dev.bunker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.port.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link AuditLog} guarantees; the in-memory twin and the Azure table both pass it. */
public abstract class AuditLogContract {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

  protected abstract AuditLog log();

  private static AuditEntry entry(String id, Instant time, String organizationId) {
    return new AuditEntry(id, time, new AuditEntry.Actor("ana@contoso.com", "00000000-0000-0000-0000-00000000000a"),
        AuditAction.START_BACKUP, organizationId,
        organizationId == null ? Map.of() : Map.of("organizationId", organizationId, "runId", "r" + id),
        AuditEntry.Outcome.SUCCEEDED, 202, null, "203.0.113.7");
  }

  @Test
  void entriesComeBackNewestFirstAsTheyWereAppended() {
    AuditEntry older = entry("0a", T0, "org1");
    AuditEntry newer = entry("0b", T0.plusSeconds(60), null);
    log().append(older);
    log().append(newer);

    assertThat(log().newest(Instant.EPOCH, null, null, 10)).containsExactly(newer, older);
  }

  @Test
  void anEntryIsNeverReplaced() {
    log().append(entry("0a", T0, "org1"));

    assertThatThrownBy(() -> log().append(entry("0a", T0, "org2"))).isInstanceOf(ConflictException.class);
    assertThat(log().newest(Instant.EPOCH, null, null, 10)).extracting(AuditEntry::organizationId)
        .containsExactly("org1");
  }

  @Test
  void pagesFollowTheSortKeyAndFilterByTimeAndOrganization() {
    for (int i = 0; i < 5; i++) {
      log().append(entry("0" + i, T0.plusSeconds(i), i % 2 == 0 ? "org1" : "org2"));
    }
    // the same millisecond twice: the id orders them
    log().append(entry("1a", T0.plusSeconds(4), "org1"));

    List<AuditEntry> first = log().newest(Instant.EPOCH, null, null, 3);
    assertThat(first).extracting(AuditEntry::id).containsExactly("04", "1a", "03");
    assertThat(log().newest(Instant.EPOCH, null, first.get(2).sortKey(), 10)).extracting(AuditEntry::id)
        .containsExactly("02", "01", "00");
    assertThat(log().newest(T0.plusSeconds(2), null, null, 10)).extracting(AuditEntry::id)
        .containsExactly("04", "1a", "03", "02");
    assertThat(log().newest(Instant.EPOCH, "org2", null, 10)).extracting(AuditEntry::id).containsExactly("03", "01");
  }

  @Test
  void retentionDeletesOnlyEntriesOlderThanTheCutoff() {
    log().append(entry("0a", T0.minusMillis(1), "org1"));
    log().append(entry("0b", T0, "org1"));
    log().append(entry("0c", T0.plusSeconds(1), "org1"));

    assertThat(log().deleteOlderThan(T0)).isEqualTo(1);
    assertThat(log().newest(Instant.EPOCH, null, null, 10)).extracting(AuditEntry::id).containsExactly("0c", "0b");
  }

  @Test
  void retentionDeletesMoreExpiredEntriesThanOneStorageTransactionHolds() {
    for (int i = 0; i < 250; i++) {
      log().append(entry(String.format("x%03d", i), T0.minusSeconds(1000 - i), "org1"));
    }
    log().append(entry("0b", T0, "org1"));

    assertThat(log().deleteOlderThan(T0)).isEqualTo(250);
    assertThat(log().newest(Instant.EPOCH, null, null, 10)).extracting(AuditEntry::id).containsExactly("0b");
  }
}
