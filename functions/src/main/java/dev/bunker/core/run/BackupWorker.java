package dev.bunker.core.run;

import dev.bunker.core.model.Failures;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunIds;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.notify.Notifications;
import dev.bunker.core.organization.Credentials;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.Leases;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.retention.CollectorLocks;
import dev.bunker.core.retention.Verifications;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.ProjectRef;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The {@code backup-repo} and {@code backup-metadata} workers: back up one repository, or one
 * project's metadata, for one run and record the snapshot and the result. The snapshot id comes
 * from the run, and the vault and the metadata store make a snapshot at most once, so a
 * redelivered message yields the same single snapshot. A failure is recorded with its reason; the
 * queue retries it until the last attempt, which records the result as failed. A metadata failure
 * is its own result: it never fails a repository's. Each new repository snapshot is then verified
 * ({@link Verifications}).
 */
public final class BackupWorker {
  private static final Logger LOG = Logger.getLogger(BackupWorker.class.getName());

  private final Catalog catalog;
  private final RunCredentials credentials;
  private final RepositoryVault vault;
  private final MetadataDirectory metadata;
  private final MetadataBackup metadataBackup;
  private final CollectorLocks locks;
  private final BackupDispatcher dispatcher;
  private final RunEnd ends;
  private final Verifications verifications;
  private final Notifications notifications;
  private final Clock clock;
  private final int maxAttempts;

  public BackupWorker(Catalog catalog, Credentials credentials, RepositoryVault vault, MetadataDirectory metadata,
      MetadataStore metadataStore, CollectorLocks locks, BackupDispatcher dispatcher, Verifications verifications,
      Notifications notifications, Clock clock, int maxAttempts) {
    this.catalog = catalog;
    this.credentials = new RunCredentials(credentials, clock);
    this.vault = vault;
    this.metadata = metadata;
    this.metadataBackup = new MetadataBackup(metadataStore, clock);
    this.locks = locks;
    this.dispatcher = dispatcher;
    this.ends = new RunEnd(catalog.runs());
    this.verifications = verifications;
    this.notifications = notifications;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Handles delivery number {@code attempt} of {@code work}. Throws (so that the queue retries)
   * only when a later attempt may succeed.
   */
  public void backup(WorkItem.BackupRepository work, long attempt) {
    perform(work.organizationId(), work.runId(), work.repositoryId(), attempt, (organization, credential) -> {
      Repository repository = catalog.repositories().find(work.organizationId(), work.repositoryId())
          .orElseThrow(() -> new Gone("the repository is no longer known"));
      if (repository.remoteUrl() == null) {
        // a later discovery found its clone URL unusable and said why in its own run
        throw new Gone("the repository's clone URL can no longer be used");
      }
      SnapshotSummary summary = vault.backup(repository.key(), SnapshotIds.forRun(work.runId()),
          new GitEndpoint(repository.remoteUrl(), credential));
      // a snapshot with exactly the refs of one found intact holds exactly its objects: read back
      // already, so it is not read again now (the weekly verification reads it with the others);
      // the repository row says which snapshot is the newest known intact
      Optional<IntactSnapshot> intactTwin = Optional.ofNullable(repository.intactSnapshot())
          .filter(intact -> intact.snapshotId().equals(summary.unchangedSince()))
          .map(intact -> new IntactSnapshot(summary.snapshotId(), intact.verifiedAt()));
      catalog.snapshots().save(new Snapshot(work.organizationId(), work.repositoryId(), summary.snapshotId(),
          work.runId(), RunIds.startedAt(work.runId()), summary.refCount(), summary.headCommit(),
          summary.packBytesAdded(), intactTwin.map(IntactSnapshot::verifiedAt).orElse(null), null));
      catalog.repositories().recordSnapshot(repository.key(), summary.snapshotId(), RunIds.startedAt(work.runId()),
          intactTwin.orElse(null));
      if (intactTwin.isEmpty()) {
        verifications.afterBackup(repository.key(), summary.snapshotId());
      }
      return summary;
    });
  }

  /** As {@link #backup(WorkItem.BackupRepository, long)}, for one project's metadata. */
  public void backupMetadata(WorkItem.BackupMetadata work, long attempt) {
    String key = RepositoryResult.metadataKey(work.projectId());
    perform(work.organizationId(), work.runId(), key, attempt, (organization, credential) -> {
      String project = catalog.runs().result(work.runId(), key).map(RepositoryResult::project).orElse(null);
      try (Leases.Held lease =
          locks.writer(work.organizationId(), work.projectId()).orElseThrow(() -> new UnavailableException(
              "another metadata backup of this project, or garbage collection, is running"))) {
        MetadataSource source = metadata.reader(new SourceAccess(organization.url(), credential));
        // the snapshot is committed right after the export: not if the lease was lost meanwhile,
        // when garbage collection may have deleted objects it relies on
        MetadataSnapshot snapshot = metadataBackup.backup(work.organizationId(),
            new ProjectRef(work.projectId(), project), SnapshotIds.forRun(work.runId()), (ref, sink) -> {
              source.export(ref, sink);
              lease.ensureHeld();
            });
        return new SnapshotSummary(snapshot.snapshotId(), 0, null, snapshot.stats().totalBytes(),
            snapshot.stats().objectsWritten(), null, null, false, null);
      }
    });
  }

  /** Backs up one thing and says what it made. */
  private interface Backup {
    SnapshotSummary run(Organization organization, GitCredential credential);
  }

  /** What a backup needs is gone: the result fails at once, no retry. */
  private static final class Gone extends RuntimeException {
    Gone(String reason) {
      super(reason, null, false, false);
    }
  }

  private void perform(String organizationId, String runId, String key, long attempt, Backup backup) {
    Optional<RepositoryResult> queued = catalog.runs().result(runId, key);
    if (queued.isEmpty()) {
      LOG.warning(() -> "run " + runId + " has no result for " + key + "; dropped");
      return;
    }
    if (queued.get().status().isFinished()) {
      LOG.info(() -> "run " + runId + ", " + key + ": already done");
      // the first delivery may have died before sending the next backup
      finished(organizationId, runId, concurrencyOf(organizationId), false);
      return;
    }
    if (queued.get().status() == ResultStatus.RUNNING && attempt <= queued.get().attempts()) {
      // A second message for the same backup (a redelivered discovery or a timed-out claim
      // sent it again) while another delivery runs it: backing up again would only wait for the
      // repository's lease. If that delivery dies, its own redelivery comes with a higher count and runs.
      LOG.info(() -> "run " + runId + ", " + key + ": already running");
      return;
    }
    RepositoryResult result = queued.get().running((int) attempt, clock.instant());
    catalog.runs().saveResult(result);
    Optional<Organization> found = catalog.organizations().find(organizationId).map(Versioned::value);
    Optional<Organization> organization = found.filter(Organization::isActive);
    GitCredential credential = null;
    try {
      if (organization.isEmpty()) {
        throw new Gone("the organization was deleted");
      }
      credential = credentials.unlock(runId, organization.get().credentialId());
      SnapshotSummary summary = backup.run(organization.get(), credential);
      catalog.runs().saveResult(result.succeeded(clock.instant(), summary));
      LOG.info(() -> "run " + runId + ", " + key + ": snapshot " + summary.snapshotId() + ", "
          + summary.packBytesAdded() + " bytes added");
    } catch (Gone e) {
      catalog.runs().saveResult(result.failed(clock.instant(), e.getMessage()));
    } catch (RuntimeException e) {
      credentials.forget(runId);
      String reason = Failures.reasonOf(e, credential);
      if (attempt < maxAttempts && Failures.worthRetrying(e)) {
        catalog.runs().saveResult(result.retrying("attempt " + attempt + " failed: " + reason));
        LOG.warning(() -> "run " + runId + ", " + key + ": attempt " + attempt + " failed, will retry: " + reason);
        throw new RetryLaterException("backup of " + key + " failed: " + reason);
      }
      catalog.runs().saveResult(result.failed(clock.instant(), reason));
      LOG.warning(() -> "run " + runId + ", " + key + " failed: " + reason);
    }
    // the policy as this backup started: a change made meanwhile reaches the next finished backup
    finished(organizationId, runId, concurrencyOf(found), true);
  }

  /**
   * A message that exhausted its deliveries without this worker recording the failure (the host
   * killed it, say): mark the repository failed with the last known error.
   */
  public void giveUp(WorkItem.BackupRepository work) {
    giveUp(work.organizationId(), work.runId(), work.repositoryId());
  }

  /** As {@link #giveUp(WorkItem.BackupRepository)}, for one project's metadata. */
  public void giveUp(WorkItem.BackupMetadata work) {
    giveUp(work.organizationId(), work.runId(), RepositoryResult.metadataKey(work.projectId()));
  }

  private void giveUp(String organizationId, String runId, String key) {
    Optional<RepositoryResult> unfinished = catalog.runs().result(runId, key)
        .filter(result -> !result.status().isFinished());
    if (unfinished.isPresent()) {
      RepositoryResult result = unfinished.get();
      catalog.runs().saveResult(result.failed(clock.instant(), "gave up after " + maxAttempts + " attempts"
          + (result.error() == null ? "" : "; last error: " + result.error())));
      finished(organizationId, runId, concurrencyOf(organizationId), true);
    }
  }

  /**
   * Called after recording a final result (or finding one recorded): a slot of the run is free, so
   * the next backups are sent; when the run has ended, it is announced and, with {@code signal}, a
   * run that did not back up everything raises its signal. Two results finishing at once may both
   * see the end: at least once. The run is read only once it has ended: a run whose discovery
   * failed while backups it had sent ran is announced by that discovery when they had all
   * finished, else by the last of them to finish.
   */
  private void finished(String organizationId, String runId, int concurrency, boolean signal) {
    // a backup the fill saw queued or in flight has yet to finish, and looks for the end itself after
    // recording its result: only a fill that saw none asks whether every result is finished
    boolean ended = !dispatcher.fill(organizationId, runId, concurrency).sawUnfinished()
        && catalog.runs().allFinished(runId);
    Optional<Run> run = ended ? catalog.runs().find(organizationId, runId) : Optional.empty();
    if (run.isEmpty()) {
      return;
    }
    List<RepositoryResult> results = catalog.runs().results(runId);
    ends.record(run.get(), results);
    notifications.runEnded(run.get(), results);
    if (signal) {
      ends.signalEnded(run.get(), results);
    }
  }

  private int concurrencyOf(String organizationId) {
    return concurrencyOf(catalog.organizations().find(organizationId).map(Versioned::value));
  }

  private static int concurrencyOf(Optional<Organization> organization) {
    return organization.map(found -> found.policy().concurrency()).orElse(Policy.defaults().concurrency());
  }
}
