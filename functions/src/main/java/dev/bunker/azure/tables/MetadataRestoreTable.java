package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.port.MetadataRestoreRecords;
import dev.bunker.metadata.OnConflict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Table {@code metadatarestores}: partition the organization id, row key the restore id. What a
 * restore created, skipped and renamed, people it could not map and notes are JSON columns (capped
 * lists). A claim is a replace conditional on the ETag read.
 */
final class MetadataRestoreTable implements MetadataRestoreRecords {
  static final String TABLE = "metadatarestores";
  private static final Column<String> PROJECT_ID = Column.string("projectId");
  private static final Column<String> SNAPSHOT_ID = Column.string("snapshotId");
  private static final Column<String> TARGET_ORGANIZATION_ID = Column.string("targetOrganizationId");
  private static final Column<String> TARGET_PROJECT = Column.string("targetProject");
  private static final Column<OnConflict> ON_CONFLICT = Column.enumOf("onConflict", OnConflict.class);
  private static final Column<RestoreStatus> STATUS = Column.enumOf("status", RestoreStatus.class);
  private static final Column<Instant> CREATED_AT = Column.instant("createdAt");
  private static final Column<Instant> FINISHED_AT = Column.instant("finishedAt");
  private static final Column<Map<String, Integer>> CREATED =
      Column.json("created", Created.class, Created::counts, Created::new);
  private static final Column<List<String>> SKIPPED = list("skipped");
  private static final Column<List<String>> RENAMED = list("renamed");
  private static final Column<List<String>> UNMAPPED_IDENTITIES = list("unmappedIdentities");
  private static final Column<List<String>> NOTES = list("notes");
  private static final Column<String> ERROR = Column.string("error");
  private static final Column<String> CLAIMED_BY = Column.string("claimedBy");
  private static final Column<Instant> CLAIMED_UNTIL = Column.instant("claimedUntil");

  private final TableRows<MetadataRestoreJob> rows;

  MetadataRestoreTable(TableClient table) {
    this.rows = new TableRows<>(table, "metadata restore", MetadataRestoreTable::row, MetadataRestoreTable::restore);
  }

  @Override
  public void insert(MetadataRestoreJob restore) {
    rows.insert(restore);
  }

  @Override
  public Optional<MetadataRestoreJob> find(String organizationId, String restoreId) {
    return rows.find(organizationId, restoreId);
  }

  @Override
  public Optional<MetadataRestoreJob> claim(String organizationId, String restoreId, String claimant, Instant now,
      Instant until) {
    return rows.replaceAsRead(organizationId, restoreId,
        current -> current.status().isFinished() || current.isClaimedAt(now)
            ? Optional.empty() : Optional.of(current.claimed(claimant, until)));
  }

  @Override
  public boolean updateClaimed(MetadataRestoreJob restore, String claimant) {
    return rows.replaceAsRead(restore.organizationId(), restore.id(),
        current -> claimant.equals(current.claimedBy()) ? Optional.of(restore) : Optional.empty()).isPresent();
  }

  /** A JSON list column. */
  private static Column<List<String>> list(String name) {
    return Column.json(name, String[].class, List::of, Function.identity());
  }

  private static Row row(MetadataRestoreJob restore) {
    return Row.at(restore.organizationId(), restore.id())
        .with(PROJECT_ID, restore.projectId())
        .with(SNAPSHOT_ID, restore.snapshotId())
        .with(TARGET_ORGANIZATION_ID, restore.targetOrganizationId())
        .with(TARGET_PROJECT, restore.targetProject())
        .with(ON_CONFLICT, restore.onConflict())
        .with(STATUS, restore.status())
        .with(CREATED_AT, restore.createdAt())
        .with(FINISHED_AT, restore.finishedAt())
        .with(CREATED, restore.created())
        .with(SKIPPED, restore.skipped())
        .with(RENAMED, restore.renamed())
        .with(UNMAPPED_IDENTITIES, restore.unmappedIdentities())
        .with(NOTES, restore.notes())
        .with(ERROR, restore.error())
        .with(CLAIMED_BY, restore.claimedBy())
        .with(CLAIMED_UNTIL, restore.claimedUntil());
  }

  private static MetadataRestoreJob restore(Row row) {
    return new MetadataRestoreJob(row.partitionKey(), row.rowKey(), row.get(PROJECT_ID), row.get(SNAPSHOT_ID),
        row.get(TARGET_ORGANIZATION_ID), row.get(TARGET_PROJECT),
        // restores requested before onConflict existed skip, as every restore does unless told otherwise
        row.get(ON_CONFLICT, OnConflict.SKIP),
        row.get(STATUS), row.get(CREATED_AT), row.get(FINISHED_AT), row.get(CREATED),
        // lists are empty in rows written before they existed
        row.get(SKIPPED, List.of()), row.get(RENAMED, List.of()), row.get(UNMAPPED_IDENTITIES, List.of()),
        row.get(NOTES, List.of()), row.get(ERROR), row.get(CLAIMED_BY), row.get(CLAIMED_UNTIL));
  }

  /** The stored form of what a restore created, per kind. */
  private record Created(Map<String, Integer> counts) {}
}
