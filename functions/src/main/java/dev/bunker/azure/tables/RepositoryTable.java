package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.port.RepositoryRecords;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code repositories}: partition the organization id, row key the repository id. Discovery,
 * backups and verifications each merge only their own columns into the row.
 */
final class RepositoryTable implements RepositoryRecords {
  static final String TABLE = "repositories";
  private static final Column<String> PROJECT_ID = Column.string("projectId");
  private static final Column<String> PROJECT = Column.string("project");
  private static final Column<String> NAME = Column.string("name");
  private static final Column<RepositoryKind> KIND = Column.enumOf("kind", RepositoryKind.class);
  private static final Column<RepositoryState> STATE = Column.enumOf("state", RepositoryState.class);
  private static final Column<String> REMOTE_URL = Column.string("remoteUrl");
  private static final Column<Instant> DISCOVERED_AT = Column.instant("discoveredAt");
  private static final Column<String> LAST_SNAPSHOT_ID = Column.string("lastSnapshotId");
  private static final Column<Instant> LAST_SNAPSHOT_AT = Column.instant("lastSnapshotAt");
  private static final Column<Instant> VERIFIED_AT = Column.instant("verifiedAt");
  /** What the last verification found missing or corrupt; "" when nothing, as a merge cannot remove a column. */
  private static final Column<String> DAMAGE = Column.string("damage");
  /** The newest snapshot known intact; "" when none (a merge cannot remove a column). */
  private static final Column<String> INTACT_SNAPSHOT_ID = Column.string("intactSnapshotId");
  private static final Column<Instant> INTACT_VERIFIED_AT = Column.instant("intactVerifiedAt");

  private final TableRows<Repository> rows;

  RepositoryTable(TableClient table) {
    this.rows = new TableRows<>(table, "repository", RepositoryTable::discovered, RepositoryTable::repository);
  }

  @Override
  public List<Repository> list(String organizationId) {
    return rows.partition(organizationId);
  }

  @Override
  public Optional<Repository> find(String organizationId, String repositoryId) {
    return rows.find(organizationId, repositoryId);
  }

  @Override
  public void saveDiscovered(Collection<Repository> repositories) {
    rows.upsertAll(repositories.stream().map(RepositoryTable::discovered).toList());
  }

  @Override
  public void recordSnapshot(RepositoryKey key, String snapshotId, Instant takenAt, IntactSnapshot intact) {
    Row columns = row(key).with(LAST_SNAPSHOT_ID, snapshotId).with(LAST_SNAPSHOT_AT, takenAt);
    rows.merge(intact == null ? columns : withIntact(columns, intact));
  }

  /** Merged, as backups and discovery write the same row. */
  @Override
  public void recordVerification(RepositoryKey key, Instant verifiedAt, String damage, IntactSnapshot newestIntact) {
    rows.merge(withIntact(row(key).with(VERIFIED_AT, verifiedAt).with(DAMAGE, damage == null ? "" : damage),
        newestIntact));
  }

  private static Row withIntact(Row columns, IntactSnapshot intact) {
    return intact == null ? columns.with(INTACT_SNAPSHOT_ID, "")
        : columns.with(INTACT_SNAPSHOT_ID, intact.snapshotId()).with(INTACT_VERIFIED_AT, intact.verifiedAt());
  }

  private static Row row(RepositoryKey key) {
    return Row.at(key.organizationId(), key.repositoryId());
  }

  /** The columns discovery writes. */
  private static Row discovered(Repository repository) {
    return Row.at(repository.organizationId(), repository.id())
        .with(PROJECT_ID, repository.projectId())
        .with(PROJECT, repository.project())
        .with(NAME, repository.name())
        .with(KIND, repository.kind())
        .with(STATE, repository.state())
        .with(REMOTE_URL, repository.remoteUrl())
        .with(DISCOVERED_AT, repository.discoveredAt());
  }

  private static Repository repository(Row row) {
    return new Repository(row.partitionKey(), row.rowKey(), row.get(PROJECT_ID), row.get(PROJECT), row.get(NAME),
        row.get(KIND), row.get(STATE), row.get(REMOTE_URL), row.get(DISCOVERED_AT), row.get(LAST_SNAPSHOT_ID),
        row.get(LAST_SNAPSHOT_AT), row.get(VERIFIED_AT),
        Optional.ofNullable(row.get(DAMAGE)).filter(damage -> !damage.isEmpty()).orElse(null),
        Optional.ofNullable(row.get(INTACT_SNAPSHOT_ID))
            .filter(id -> !id.isEmpty() && row.get(INTACT_VERIFIED_AT) != null)
            .map(id -> new IntactSnapshot(id, row.get(INTACT_VERIFIED_AT))).orElse(null));
  }
}
