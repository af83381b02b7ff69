package dev.bunker.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of backing up one repository, or one project's metadata ({@link ResultKind#METADATA},
 * keyed {@code metadata-<projectId>}, with no repository name), in one run. {@code dispatchedAt} is when a dispatcher
 * claimed it to send its backup message (the run sends at most the policy's concurrency at a time); {@code error} says
 * why the last attempt failed (it may be set on a result that will be retried).
 */
public record RepositoryResult(
    String runId,
    String repositoryId,
    String organizationId,
    String project,
    String repository,
    ResultStatus status,
    int attempts,
    Instant dispatchedAt,
    Instant startedAt,
    Instant finishedAt,
    String snapshotId,
    Long packBytesAdded,
    Long objectsAdded,
    String error,
    ResultKind kind) {

  private static final String METADATA_PREFIX = "metadata-";

  public static RepositoryResult queued(String runId, Repository repository) {
    return new RepositoryResult(runId, repository.id(), repository.organizationId(), repository.project(),
        repository.name(), ResultStatus.QUEUED, 0, null, null, null, null, null, null, null, ResultKind.REPOSITORY);
  }

  /** The metadata backup of one project in run {@code runId}. */
  public static RepositoryResult queuedMetadata(String runId, String organizationId, String projectId, String project) {
    return new RepositoryResult(runId, metadataKey(projectId), organizationId, project, null,
        ResultStatus.QUEUED, 0, null, null, null, null, null, null, null, ResultKind.METADATA);
  }

  /** The {@code repositoryId} (row key) of a project's metadata result. */
  public static String metadataKey(String projectId) {
    return METADATA_PREFIX + projectId;
  }

  /** The project a {@link ResultKind#METADATA} result backs up. */
  public String projectId() {
    return kind == ResultKind.METADATA ? repositoryId.substring(METADATA_PREFIX.length()) : null;
  }

  public boolean isInFlight() {
    return dispatchedAt != null && !status.isFinished();
  }

  /**
   * Whether this repository's backup still has to be sent: never sent, or claimed before
   * {@code unsentBefore} and never started (the claimer died or failed before its message went out).
   */
  public boolean awaitsDispatch(Instant unsentBefore) {
    if (status.isFinished()) {
      return false;
    }
    return dispatchedAt == null
        || status == ResultStatus.QUEUED && attempts == 0 && dispatchedAt.isBefore(unsentBefore);
  }

  /**
   * Whether a backup queued before its run's discovery can still be taken back when the listing
   * no longer asks for it: not while it runs, nor once it made a snapshot.
   */
  public boolean isWithdrawable() {
    return status != ResultStatus.RUNNING && status != ResultStatus.SUCCEEDED;
  }

  public RepositoryResult dispatched(Instant now) {
    return new RepositoryResult(runId, repositoryId, organizationId, project, repository, status, attempts, now,
        startedAt, finishedAt, snapshotId, packBytesAdded, objectsAdded, error, kind);
  }

  public RepositoryResult running(int attempt, Instant now) {
    return new RepositoryResult(runId, repositoryId, organizationId, project, repository, ResultStatus.RUNNING,
        attempt, dispatchedAt == null ? now : dispatchedAt, startedAt == null ? now : startedAt, null, null, null,
        null, error, kind);
  }

  public RepositoryResult succeeded(Instant now, SnapshotSummary summary) {
    return new RepositoryResult(runId, repositoryId, organizationId, project, repository, ResultStatus.SUCCEEDED,
        attempts, dispatchedAt, startedAt == null ? now : startedAt, now, summary.snapshotId(),
        summary.packBytesAdded(), summary.objectsAdded(), null, kind);
  }

  /** A failed attempt that the queue will retry. */
  public RepositoryResult retrying(String reason) {
    return new RepositoryResult(runId, repositoryId, organizationId, project, repository, ResultStatus.QUEUED,
        attempts, dispatchedAt, startedAt, null, null, null, null, reason, kind);
  }

  public RepositoryResult failed(Instant now, String reason) {
    return new RepositoryResult(runId, repositoryId, organizationId, project, repository, ResultStatus.FAILED,
        attempts, dispatchedAt, startedAt == null ? now : startedAt, now, null, null, null, reason, kind);
  }

  public Duration duration() {
    return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }
}
