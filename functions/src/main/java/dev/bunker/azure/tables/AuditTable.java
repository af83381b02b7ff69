package dev.bunker.azure.tables;

import com.azure.data.tables.TableServiceClient;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.port.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Table {@code audit}: the audit trail in one partition, row key {@link AuditEntry#sortKey} (inverted
 * time, so a query reads newest first and retention deletes a key range from the end). Rows are only
 * ever inserted, never replaced: appending cannot overwrite one.
 */
public final class AuditTable implements AuditLog {
  public static final String DEFAULT_TABLE = "audit";
  private static final String PARTITION = "audit";
  private static final Column<String> ENTRY_ID = Column.string("EntryId");
  private static final Column<Instant> TIME = Column.instant("Time");
  private static final Column<String> ACTOR_NAME = Column.string("ActorName");
  private static final Column<String> ACTOR_ID = Column.string("ActorId");
  private static final Column<AuditAction> ACTION = Column.enumOf("Action", AuditAction.class);
  private static final Column<String> ORGANIZATION_ID = Column.string("OrganizationId");
  @SuppressWarnings("rawtypes")
  private static final Column<Map> TARGETS = Column.json("Targets", Map.class);
  private static final Column<AuditEntry.Outcome> OUTCOME = Column.enumOf("Outcome", AuditEntry.Outcome.class);
  private static final Column<Integer> STATUS = Column.integer("Status");
  private static final Column<String> PROBLEM = Column.string("Problem");
  private static final Column<String> CLIENT_IP = Column.string("ClientIp");

  private final TableRows<AuditEntry> rows;

  private AuditTable(TableRows<AuditEntry> rows) {
    this.rows = rows;
  }

  /** The trail in table {@code name} of {@code service}, created when missing. */
  public static AuditTable create(TableServiceClient service, String name) {
    return new AuditTable(new TableRows<>(TableRows.open(service, name), "audit entry", AuditTable::row,
        AuditTable::entry));
  }

  @Override
  public void append(AuditEntry entry) {
    rows.insert(entry);
  }

  @Override
  public List<AuditEntry> newest(Instant since, String organizationId, String after, int top) {
    List<String> conditions = new ArrayList<>();
    if (since.toEpochMilli() > 0) {
      // every key of since's millisecond sorts before the prefix of the millisecond before it
      conditions.add("RowKey lt '" + AuditEntry.sortKeyPrefix(since.minusMillis(1)) + "'");
    }
    if (after != null) {
      conditions.add("RowKey gt '" + after.replace("'", "''") + "'");
    }
    if (organizationId != null) {
      conditions.add(ORGANIZATION_ID.name() + " eq '" + organizationId.replace("'", "''") + "'");
    }
    return rows.first(PARTITION, conditions.isEmpty() ? null : String.join(" and ", conditions), top);
  }

  @Override
  public int deleteOlderThan(Instant cutoff) {
    // older than cutoff: keys from the millisecond before it on
    return rows.deleteWhere(PARTITION, "RowKey ge '" + AuditEntry.sortKeyPrefix(cutoff.minusMillis(1)) + "'");
  }

  private static Row row(AuditEntry entry) {
    return Row.at(PARTITION, entry.sortKey())
        .with(ENTRY_ID, entry.id())
        .with(TIME, entry.time())
        .with(ACTOR_NAME, entry.actor().name())
        .with(ACTOR_ID, entry.actor().objectId())
        .with(ACTION, entry.action())
        .with(ORGANIZATION_ID, entry.organizationId())
        .with(TARGETS, entry.targets())
        .with(OUTCOME, entry.outcome())
        .with(STATUS, entry.status())
        .with(PROBLEM, entry.problem())
        .with(CLIENT_IP, entry.clientIp());
  }

  @SuppressWarnings("unchecked")
  private static AuditEntry entry(Row row) {
    return new AuditEntry(row.get(ENTRY_ID), row.get(TIME),
        new AuditEntry.Actor(row.get(ACTOR_NAME), row.get(ACTOR_ID)), row.get(ACTION), row.get(ORGANIZATION_ID),
        (Map<String, String>) row.get(TARGETS), row.get(OUTCOME), row.get(STATUS), row.get(PROBLEM),
        row.get(CLIENT_IP));
  }
}
