package dev.bunker.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The {@code backup-repo} worker: backs up one repository for one run and records the snapshot and
 * the result. The snapshot id comes from the run, and the vault makes a snapshot at most once, so a
 * redelivered message yields the same single snapshot. A failure is recorded with its reason; the
 * queue retries it until the last attempt, which records the repository as failed.
 */
public final class BackupWorker {
  private static final Logger LOG = Logger.getLogger(BackupWorker.class.getName());

  private final Catalog catalog;
  private final Credentials credentials;
  private final RepositoryVault vault;
  private final BackupDispatcher dispatcher;
  private final Clock clock;
  private final int maxAttempts;

  BackupWorker(Catalog catalog, Credentials credentials, RepositoryVault vault, BackupDispatcher dispatcher,
      Clock clock, int maxAttempts) {
    this.catalog = catalog;
    this.credentials = credentials;
    this.vault = vault;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Handles delivery number {@code attempt} of {@code work}. Throws (so that the queue retries)
   * only when a later attempt may succeed.
   */
  public void backup(WorkItem.BackupRepository work, long attempt) {
    Optional<RepositoryResult> queued = catalog.runs().result(work.runId(), work.repositoryId());
    if (queued.isEmpty()) {
      LOG.warning(() -> "run " + work.runId() + " has no result for repository " + work.repositoryId() + "; dropped");
      return;
    }
    if (queued.get().status().isFinished()) {
      LOG.info(() -> "run " + work.runId() + ", repository " + work.repositoryId() + ": already done");
      // the first delivery may have died before sending the next repository
      dispatchNext(work);
      return;
    }
    if (queued.get().status() == ResultStatus.RUNNING && attempt <= queued.get().attempts()) {
      // A second message for the same repository (a redelivered discovery or a timed-out claim
      // sent it again) while another delivery runs it: backing up again would only wait for the
      // repository's lease. If that delivery dies, its own redelivery comes with a higher count and runs.
      LOG.info(() -> "run " + work.runId() + ", repository " + work.repositoryId() + ": already running");
      return;
    }
    RepositoryResult result = queued.get().running((int) attempt, clock.instant());
    catalog.runs().saveResult(result);
    Optional<Organization> organization = catalog.organizations().find(work.organizationId())
        .map(Versioned::value).filter(Organization::isActive);
    Optional<Repository> repository = catalog.repositories().find(work.organizationId(), work.repositoryId());
    if (organization.isEmpty() || repository.isEmpty()) {
      catalog.runs().saveResult(result.failed(clock.instant(),
          organization.isEmpty() ? "the organization was deleted" : "the repository is no longer known"));
      dispatchNext(work);
      return;
    }
    GitCredential credential = null;
    try {
      credential = credentials.unlock(organization.get().credentialId());
      String snapshotId = SnapshotIds.forRun(work.runId());
      SnapshotSummary summary = vault.backup(
          repository.get().key(), snapshotId, new GitEndpoint(repository.get().remoteUrl(), credential));
      Instant now = clock.instant();
      catalog.snapshots().save(new Snapshot(work.organizationId(), work.repositoryId(), summary.snapshotId(),
          work.runId(), RunIds.startedAt(work.runId()), summary.refCount(), summary.headCommit(),
          summary.packBytesAdded()));
      catalog.repositories().recordSnapshot(repository.get().key(), summary.snapshotId(), RunIds.startedAt(work.runId()));
      catalog.runs().saveResult(result.succeeded(now, summary));
      LOG.info(() -> "run " + work.runId() + ", repository " + work.repositoryId() + ": snapshot "
          + summary.snapshotId() + ", " + summary.packBytesAdded() + " pack bytes added");
    } catch (RuntimeException e) {
      String reason = Failures.reasonOf(e, credential);
      if (attempt < maxAttempts && Failures.worthRetrying(e)) {
        catalog.runs().saveResult(result.retrying("attempt " + attempt + " failed: " + reason));
        LOG.warning(() -> "run " + work.runId() + ", repository " + work.repositoryId() + ": attempt " + attempt
            + " failed, will retry: " + reason);
        throw new RetryLaterException("backup of repository " + work.repositoryId() + " failed: " + reason);
      }
      catalog.runs().saveResult(result.failed(clock.instant(), reason));
      LOG.warning(() -> "run " + work.runId() + ", repository " + work.repositoryId() + " failed: " + reason);
    }
    dispatchNext(work);
  }

  /**
   * A message that exhausted its deliveries without this worker recording the failure (the host
   * killed it, say): mark the repository failed with the last known error.
   */
  public void giveUp(WorkItem.BackupRepository work) {
    Optional<RepositoryResult> unfinished = catalog.runs().result(work.runId(), work.repositoryId())
        .filter(result -> !result.status().isFinished());
    if (unfinished.isPresent()) {
      RepositoryResult result = unfinished.get();
      catalog.runs().saveResult(result.failed(clock.instant(), "gave up after " + maxAttempts + " attempts"
          + (result.error() == null ? "" : "; last error: " + result.error())));
      dispatchNext(work);
    }
  }

  /** A slot of the run is free: send the next repository's backup. */
  private void dispatchNext(WorkItem.BackupRepository work) {
    int concurrency = catalog.organizations().find(work.organizationId())
        .map(organization -> organization.value().policy().concurrency())
        .orElse(Policy.defaults().concurrency());
    catalog.runs().find(work.organizationId(), work.runId()).ifPresent(run -> dispatcher.fill(run, concurrency));
  }
}
