package dev.bunker.core.model;

import java.time.Instant;

/** A requested restore of one snapshot into a target repository, and how it went. */
public record Restore(
    String organizationId,
    String id,
    String repositoryId,
    String snapshotId,
    RestoreTarget target,
    RestoreStatus status,
    Instant createdAt,
    Instant finishedAt,
    String targetUrl,
    String error) {

  public Restore running() {
    return new Restore(organizationId, id, repositoryId, snapshotId, target, RestoreStatus.RUNNING, createdAt,
        null, targetUrl, null);
  }

  /** A failed attempt that the queue will retry. */
  public Restore retrying(String reason) {
    return new Restore(organizationId, id, repositoryId, snapshotId, target, RestoreStatus.QUEUED, createdAt,
        null, targetUrl, reason);
  }

  public Restore succeeded(Instant now, String url) {
    return new Restore(organizationId, id, repositoryId, snapshotId, target, RestoreStatus.SUCCEEDED, createdAt,
        now, url, null);
  }

  public Restore failed(Instant now, String reason) {
    return new Restore(organizationId, id, repositoryId, snapshotId, target, RestoreStatus.FAILED, createdAt,
        now, targetUrl, reason);
  }
}
