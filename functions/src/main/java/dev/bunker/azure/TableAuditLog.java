package dev.bunker.azure;

import static dev.bunker.azure.Tables.enumOf;
import static dev.bunker.azure.Tables.instant;
import static dev.bunker.azure.Tables.integer;
import static dev.bunker.azure.Tables.put;
import static dev.bunker.azure.Tables.string;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.port.AuditLog;
import dev.bunker.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit trail in the Azure table {@code audit}: one partition, row key {@link
 * AuditEntry#sortKey} (inverted time, so a query reads newest first and retention deletes a key
 * range from the end). Rows are only ever created, never upserted: appending cannot overwrite one.
 */
public final class TableAuditLog implements AuditLog {
  public static final String DEFAULT_TABLE = "audit";
  private static final String PARTITION = "audit";
  /** Azure Tables' limit on operations in one transaction. */
  private static final int TRANSACTION_LIMIT = 100;

  private final TableClient table;

  private TableAuditLog(TableClient table) {
    this.table = table;
  }

  /** The trail in table {@code name} of {@code service}, created when missing. */
  public static TableAuditLog create(TableServiceClient service, String name) {
    service.createTableIfNotExists(name);
    return new TableAuditLog(service.getTableClient(name));
  }

  @Override
  public void append(AuditEntry entry) {
    TableEntity entity = new TableEntity(PARTITION, entry.sortKey());
    put(entity, "EntryId", entry.id());
    put(entity, "Time", entry.time());
    put(entity, "ActorName", entry.actor().name());
    put(entity, "ActorId", entry.actor().objectId());
    put(entity, "Action", entry.action());
    put(entity, "OrganizationId", entry.organizationId());
    put(entity, "Targets", Json.write(entry.targets()));
    put(entity, "Outcome", entry.outcome());
    put(entity, "Status", entry.status());
    put(entity, "Problem", entry.problem());
    put(entity, "ClientIp", entry.clientIp());
    Tables.create(table, entity, "audit entry");
  }

  @Override
  public List<AuditEntry> newest(Instant since, String organizationId, String after, int top) {
    String filter = "PartitionKey eq '" + PARTITION + "'";
    if (since.toEpochMilli() > 0) {
      // every key of since's millisecond sorts before the prefix of the millisecond before it
      filter += " and RowKey lt '" + AuditEntry.sortKeyPrefix(since.minusMillis(1)) + "'";
    }
    if (after != null) {
      filter += " and RowKey gt '" + after + "'";
    }
    if (organizationId != null) {
      filter += " and OrganizationId eq '" + organizationId.replace("'", "''") + "'";
    }
    return table.listEntities(new ListEntitiesOptions().setFilter(filter).setTop(Math.min(top, 1000)), null, null)
        .stream().limit(top).map(TableAuditLog::entry).toList();
  }

  @Override
  public int deleteOlderThan(Instant cutoff) {
    // older than cutoff: keys from the millisecond before it on
    String filter = "PartitionKey eq '" + PARTITION + "' and RowKey ge '"
        + AuditEntry.sortKeyPrefix(cutoff.minusMillis(1)) + "'";
    List<TableTransactionAction> batch = new ArrayList<>();
    int deleted = 0;
    for (TableEntity entity : table.listEntities(new ListEntitiesOptions().setFilter(filter)
        .setSelect(List.of("PartitionKey", "RowKey")), null, null)) {
      batch.add(new TableTransactionAction(TableTransactionActionType.DELETE, entity));
      if (batch.size() == TRANSACTION_LIMIT) {
        table.submitTransaction(batch);
        deleted += batch.size();
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      table.submitTransaction(batch);
      deleted += batch.size();
    }
    return deleted;
  }

  @SuppressWarnings("unchecked")
  private static AuditEntry entry(TableEntity entity) {
    Map<String, String> targets = Tables.stored(entity, "Targets", Map.class);
    return new AuditEntry(string(entity, "EntryId"), instant(entity, "Time"),
        new AuditEntry.Actor(string(entity, "ActorName"), string(entity, "ActorId")),
        enumOf(entity, "Action", AuditAction.class), string(entity, "OrganizationId"), targets,
        enumOf(entity, "Outcome", AuditEntry.Outcome.class), integer(entity, "Status"), string(entity, "Problem"),
        string(entity, "ClientIp"));
  }
}
