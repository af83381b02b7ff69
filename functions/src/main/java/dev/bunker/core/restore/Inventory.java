package dev.bunker.core.restore;

import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotDetails;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.RepositoryRecords;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.port.SnapshotRecords;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What Bunker has: an organization's known repositories and their snapshots. */
public final class Inventory {
  private final Organizations organizations;
  private final RepositoryRecords repositories;
  private final SnapshotRecords snapshots;
  private final RepositoryVault vault;

  public Inventory(Organizations organizations, RepositoryRecords repositories, SnapshotRecords snapshots,
      RepositoryVault vault) {
    this.organizations = organizations;
    this.repositories = repositories;
    this.snapshots = snapshots;
    this.vault = vault;
  }

  /** The organization's repositories as the API shows them ({@link Repository#shown}). */
  public List<Repository> repositories(String organizationId) {
    organizations.get(organizationId);
    return repositories.list(organizationId).stream()
        .map(Repository::shown)
        .sorted(Comparator.comparing(Repository::project, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(Repository::name, String.CASE_INSENSITIVE_ORDER))
        .toList();
  }

  /** Newest first. */
  public List<Snapshot> snapshots(String organizationId, String repositoryId) {
    return snapshots.list(repository(organizationId, repositoryId).key());
  }

  public SnapshotDetails snapshot(String organizationId, String repositoryId, String snapshotId) {
    Snapshot snapshot = snapshotRecord(organizationId, repositoryId, snapshotId);
    return new SnapshotDetails(snapshot, vault.refs(snapshot.repositoryKey(), snapshotId));
  }

  /** A recorded snapshot of a known repository; {@link NotFoundException} otherwise. */
  Snapshot snapshotRecord(String organizationId, String repositoryId, String snapshotId) {
    RepositoryKey key = repository(organizationId, repositoryId).key();
    return (SnapshotIds.isValid(snapshotId) ? snapshots.find(key, snapshotId) : Optional.<Snapshot>empty())
        .orElseThrow(() -> new NotFoundException("snapshot", snapshotId));
  }

  /** A known repository of an active organization; {@link NotFoundException} otherwise. */
  Repository repository(String organizationId, String repositoryId) {
    organizations.get(organizationId);
    return repositories.find(organizationId, repositoryId)
        .orElseThrow(() -> new NotFoundException("repository", repositoryId));
  }
}
