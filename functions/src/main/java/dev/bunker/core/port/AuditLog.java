package dev.bunker.core.port;

import dev.bunker.core.model.AuditEntry;
import java.time.Instant;
import java.util.List;

/**
 * The audit trail's store (an Azure table in production): append-only. An entry, once appended, is
 * never changed; it leaves the store only through {@link #deleteOlderThan}, which retention alone
 * calls with a cutoff at least a year back ({@link AuditTrail#MIN_RETENTION_DAYS}).
 */
public interface AuditLog {
  /** Adds {@code entry}; never replaces one: an entry with the same {@link AuditEntry#sortKey} is refused. */
  void append(AuditEntry entry);

  /**
   * Entries newest first (by {@link AuditEntry#sortKey}): those at or after {@code since}, of
   * {@code organizationId} when it is not null, whose sort key comes after {@code after} when it is
   * not null; at most {@code top}.
   */
  List<AuditEntry> newest(Instant since, String organizationId, String after, int top);

  /** Deletes the entries older than {@code cutoff}; how many it deleted. */
  int deleteOlderThan(Instant cutoff);
}
