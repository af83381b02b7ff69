package dev.bunker.core.model;

import java.time.Instant;

/**
 * A snapshot as the catalog records it; the refs themselves live in the repository's git store.
 *
 * @param verifiedAt when the latest verification of its objects finished, null before the first
 * @param verifyError what that verification found missing or corrupt (naming the packs); null
 *     when every object it read was there and hashed to its id
 */
public record Snapshot(
    String organizationId,
    String repositoryId,
    String id,
    String runId,
    Instant takenAt,
    int refCount,
    String headCommit,
    long packBytesAdded,
    Instant verifiedAt,
    String verifyError) {

  public RepositoryKey repositoryKey() {
    return new RepositoryKey(organizationId, repositoryId);
  }

  /** Whether the latest verification found every object intact. */
  public boolean verifiedIntact() {
    return verifiedAt != null && verifyError == null;
  }

  public Snapshot verified(Instant at, String error) {
    return new Snapshot(organizationId, repositoryId, id, runId, takenAt, refCount, headCommit, packBytesAdded, at,
        error);
  }
}
