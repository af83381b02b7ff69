package dev.bunker.core;

import java.util.List;
import java.util.Optional;

/** The {@code snapshots} table. */
public interface SnapshotRecords {
  /** Creates or replaces (a redelivered backup records the same snapshot again). */
  void save(Snapshot snapshot);

  /** Newest first. */
  List<Snapshot> list(RepositoryKey repository);

  Optional<Snapshot> find(RepositoryKey repository, String snapshotId);

  /** Deleting a missing snapshot is not an error. */
  void delete(RepositoryKey repository, String snapshotId);
}
