package dev.bunker.core;

import java.time.Instant;

/** A repository Bunker knows of, as discovery last saw it, and its latest snapshot. */
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
    Instant lastSnapshotAt) {

  public RepositoryKey key() {
    return new RepositoryKey(organizationId, id);
  }
}
