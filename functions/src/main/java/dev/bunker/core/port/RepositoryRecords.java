package dev.bunker.core.port;

import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code repositories} table. Discovery and backups update different fields of the same row,
 * so each write touches only its own fields and neither overwrites the other.
 */
public interface RepositoryRecords {
  List<Repository> list(String organizationId);

  Optional<Repository> find(String organizationId, String repositoryId);

  /**
   * Creates or updates what discovery knows (project, name, kind, state, remote URL, discovered
   * time) of each repository, keeping the last snapshot and verification fields.
   */
  void saveDiscovered(Collection<Repository> repositories);

  /**
   * Sets the last snapshot of an existing repository and, when it took the verification of an
   * intact snapshot with the same refs ({@code intact} not null), its newest intact snapshot.
   */
  void recordSnapshot(RepositoryKey key, String snapshotId, Instant takenAt, IntactSnapshot intact);

  /**
   * Records when its snapshots were last verified, what is damaged ({@code damage} null: nothing)
   * and the newest snapshot known intact ({@code newestIntact} null: none).
   */
  void recordVerification(RepositoryKey key, Instant verifiedAt, String damage, IntactSnapshot newestIntact);
}
