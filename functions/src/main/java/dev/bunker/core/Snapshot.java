package dev.bunker.core;

import java.time.Instant;

/** A snapshot as the catalog records it; the refs themselves live in the repository's git store. */
public record Snapshot(
    String organizationId,
    String repositoryId,
    String id,
    String runId,
    Instant takenAt,
    int refCount,
    String headCommit,
    long packBytesAdded) {

  public RepositoryKey repositoryKey() {
    return new RepositoryKey(organizationId, repositoryId);
  }
}
