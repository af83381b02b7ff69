package dev.bunker.core.model;

import java.time.Instant;

/**
 * A repository Bunker knows of, as discovery last saw it, its latest snapshot, and what the latest
 * verification of its snapshots found.
 *
 * @param verifiedAt when a verification of its snapshots last finished, null before the first
 * @param damage null while no snapshot is known to be damaged; else which snapshots a verification
 *     found damaged and where: they cannot be restored whole
 * @param intactSnapshot the newest snapshot known intact, null while none is
 */
public record Repository(
    String organizationId,
    String id,
    String projectId,
    String project,
    String name,
    RepositoryKind kind,
    RepositoryState state,
    String remoteUrl,
    Instant discoveredAt,
    String lastSnapshotId,
    Instant lastSnapshotAt,
    Instant verifiedAt,
    String damage,
    IntactSnapshot intactSnapshot) {

  public RepositoryKey key() {
    return new RepositoryKey(organizationId, id);
  }

  /** As the API shows it: a protected repository with damaged snapshots is not protected but damaged. */
  public Repository shown() {
    if (damage == null || state != RepositoryState.PROTECTED) {
      return this;
    }
    return withState(RepositoryState.DAMAGED, discoveredAt);
  }

  /** This repository in {@code state}, as last seen at {@code seenAt}; its snapshots' facts kept. */
  public Repository withState(RepositoryState state, Instant seenAt) {
    return new Repository(organizationId, id, projectId, project, name, kind, state, remoteUrl, seenAt,
        lastSnapshotId, lastSnapshotAt, verifiedAt, damage, intactSnapshot);
  }
}
