package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.Restore;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.model.RestoreTarget;
import dev.bunker.core.port.RestoreRecords;
import java.time.Instant;
import java.util.Optional;

/** Table {@code restores}: repository restores, partition the organization id, row key the restore id. */
final class RestoreTable implements RestoreRecords {
  static final String TABLE = "restores";
  private static final Column<String> REPOSITORY_ID = Column.string("repositoryId");
  private static final Column<String> SNAPSHOT_ID = Column.string("snapshotId");
  private static final Column<String> TARGET_ORGANIZATION_ID = Column.string("targetOrganizationId");
  private static final Column<String> TARGET_PROJECT = Column.string("targetProject");
  private static final Column<String> TARGET_REPOSITORY = Column.string("targetRepository");
  private static final Column<Boolean> TARGET_CREATE = Column.bool("targetCreate");
  private static final Column<RestoreStatus> STATUS = Column.enumOf("status", RestoreStatus.class);
  private static final Column<Instant> CREATED_AT = Column.instant("createdAt");
  private static final Column<Instant> FINISHED_AT = Column.instant("finishedAt");
  private static final Column<String> TARGET_URL = Column.string("targetUrl");
  private static final Column<String> ERROR = Column.string("error");

  private final TableRows<Restore> rows;

  RestoreTable(TableClient table) {
    this.rows = new TableRows<>(table, "restore", RestoreTable::row, RestoreTable::restore);
  }

  @Override
  public void insert(Restore restore) {
    rows.insert(restore);
  }

  @Override
  public Optional<Restore> find(String organizationId, String restoreId) {
    return rows.find(organizationId, restoreId);
  }

  @Override
  public void update(Restore restore) {
    rows.replace(restore);
  }

  private static Row row(Restore restore) {
    return Row.at(restore.organizationId(), restore.id())
        .with(REPOSITORY_ID, restore.repositoryId())
        .with(SNAPSHOT_ID, restore.snapshotId())
        .with(TARGET_ORGANIZATION_ID, restore.target().organizationId())
        .with(TARGET_PROJECT, restore.target().project())
        .with(TARGET_REPOSITORY, restore.target().repository())
        .with(TARGET_CREATE, restore.target().create())
        .with(STATUS, restore.status())
        .with(CREATED_AT, restore.createdAt())
        .with(FINISHED_AT, restore.finishedAt())
        .with(TARGET_URL, restore.targetUrl())
        .with(ERROR, restore.error());
  }

  private static Restore restore(Row row) {
    return new Restore(row.partitionKey(), row.rowKey(), row.get(REPOSITORY_ID), row.get(SNAPSHOT_ID),
        new RestoreTarget(row.get(TARGET_ORGANIZATION_ID), row.get(TARGET_PROJECT), row.get(TARGET_REPOSITORY),
            row.get(TARGET_CREATE)),
        row.get(STATUS), row.get(CREATED_AT), row.get(FINISHED_AT), row.get(TARGET_URL), row.get(ERROR));
  }
}
