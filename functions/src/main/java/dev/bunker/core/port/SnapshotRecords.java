package dev.bunker.core.port;

import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code snapshots} table. */
public interface SnapshotRecords {
  /** Creates or replaces (a redelivered backup records the same snapshot again). */
  void save(Snapshot snapshot);

  /** Newest first. */
  List<Snapshot> list(RepositoryKey repository);

  Optional<Snapshot> find(RepositoryKey repository, String snapshotId);

  /** Records what a verification found ({@code verifyError} null: intact); a snapshot forgotten meanwhile
   * stays forgotten. */
  void recordVerification(RepositoryKey repository, String snapshotId, Instant verifiedAt, String verifyError);

  /** Deleting a missing snapshot is not an error. */
  void delete(RepositoryKey repository, String snapshotId);
}
