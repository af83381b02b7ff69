package dev.bunker.core.memory;

import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.port.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/** The audit trail in memory, ordered by sort key as the table orders row keys. */
public final class InMemoryAuditLog implements AuditLog {
  private final ConcurrentSkipListMap<String, AuditEntry> entries = new ConcurrentSkipListMap<>();

  @Override
  public void append(AuditEntry entry) {
    if (entries.putIfAbsent(entry.sortKey(), entry) != null) {
      throw new ConflictException("audit entry '" + entry.sortKey() + "' exists");
    }
  }

  @Override
  public List<AuditEntry> newest(Instant since, String organizationId, String after, int top) {
    return (after == null ? entries : entries.tailMap(after, false)).values().stream()
        .takeWhile(entry -> !entry.time().isBefore(since))
        .filter(entry -> organizationId == null || Objects.equals(organizationId, entry.organizationId()))
        .limit(top)
        .toList();
  }

  @Override
  public int deleteOlderThan(Instant cutoff) {
    List<String> old = entries.values().stream().filter(entry -> entry.time().isBefore(cutoff))
        .map(AuditEntry::sortKey).toList();
    old.forEach(entries::remove);
    return old.size();
  }

  /** Every entry, newest first (tests). */
  public List<AuditEntry> all() {
    return List.copyOf(entries.values());
  }

  /** Every entry in the order appended, oldest first (tests). */
  public List<AuditEntry> appended() {
    return List.copyOf(entries.descendingMap().values());
  }
}
