package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.port.SnapshotRecords;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Table {@code snapshots}: partition {@code <organization id>_<repository id>}, row key the snapshot id. */
final class SnapshotTable implements SnapshotRecords {
  static final String TABLE = "snapshots";
  private static final Column<String> ORGANIZATION_ID = Column.string("organizationId");
  private static final Column<String> REPOSITORY_ID = Column.string("repositoryId");
  private static final Column<String> RUN_ID = Column.string("runId");
  private static final Column<Instant> TAKEN_AT = Column.instant("takenAt");
  private static final Column<Integer> REF_COUNT = Column.integer("refCount");
  private static final Column<String> HEAD_COMMIT = Column.string("headCommit");
  private static final Column<Long> PACK_BYTES_ADDED = Column.number("packBytesAdded");
  private static final Column<Instant> VERIFIED_AT = Column.instant("verifiedAt");
  private static final Column<String> VERIFY_ERROR = Column.string("verifyError");

  private final TableRows<Snapshot> rows;

  SnapshotTable(TableClient table) {
    this.rows = new TableRows<>(table, "snapshot", SnapshotTable::row, SnapshotTable::snapshot);
  }

  /** Merged: a backup redelivered after its verification keeps the verification's columns. */
  @Override
  public void save(Snapshot snapshot) {
    rows.upsert(snapshot);
  }

  /**
   * Merged into the row without reading it (a snapshot deleted meanwhile stays deleted); an intact
   * result writes an empty error, which clears an earlier one.
   */
  @Override
  public void recordVerification(RepositoryKey repository, String snapshotId, Instant verifiedAt,
      String verifyError) {
    rows.mergeIfPresent(Row.at(partition(repository), snapshotId).with(VERIFIED_AT, verifiedAt)
        .with(VERIFY_ERROR, verifyError == null ? "" : verifyError));
  }

  @Override
  public List<Snapshot> list(RepositoryKey repository) {
    return rows.partition(partition(repository)).stream()
        .sorted(Comparator.comparing(Snapshot::id).reversed()).toList();
  }

  @Override
  public Optional<Snapshot> find(RepositoryKey repository, String snapshotId) {
    return rows.find(partition(repository), snapshotId);
  }

  @Override
  public void delete(RepositoryKey repository, String snapshotId) {
    rows.delete(partition(repository), snapshotId);
  }

  private static String partition(RepositoryKey key) {
    return key.organizationId() + "_" + key.repositoryId();
  }

  private static Row row(Snapshot snapshot) {
    return Row.at(partition(snapshot.repositoryKey()), snapshot.id())
        .with(ORGANIZATION_ID, snapshot.organizationId())
        .with(REPOSITORY_ID, snapshot.repositoryId())
        .with(RUN_ID, snapshot.runId())
        .with(TAKEN_AT, snapshot.takenAt())
        .with(REF_COUNT, snapshot.refCount())
        .with(HEAD_COMMIT, snapshot.headCommit())
        .with(PACK_BYTES_ADDED, snapshot.packBytesAdded())
        .with(VERIFIED_AT, snapshot.verifiedAt())
        .with(VERIFY_ERROR, snapshot.verifyError());
  }

  private static Snapshot snapshot(Row row) {
    return new Snapshot(row.get(ORGANIZATION_ID), row.get(REPOSITORY_ID), row.rowKey(), row.get(RUN_ID),
        row.get(TAKEN_AT), row.get(REF_COUNT), row.get(HEAD_COMMIT), row.get(PACK_BYTES_ADDED), row.get(VERIFIED_AT),
        Optional.ofNullable(row.get(VERIFY_ERROR)).filter(error -> !error.isEmpty()).orElse(null));
  }
}
