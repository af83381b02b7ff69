package dev.bunker.core.restore;

import dev.bunker.core.model.Failures;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.MetadataRestoreRequest;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Problems;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.organization.Credentials;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.core.port.MetadataRestoreRecords;
import dev.bunker.core.port.WorkQueue;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreLedger;
import dev.bunker.metadata.RestorePlan;
import dev.bunker.metadata.RestoreReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Restoring a project's metadata snapshot: the request is checked and queued (or, for a dry run,
 * planned at once); the {@code restore-metadata} worker creates the snapshot's build definitions and
 * work items in an existing project of this or another registered organization, and records what
 * it created and what it could not restore as it was. What the target holds under the same name is
 * never overwritten (see {@link OnConflict}).
 *
 * <p>A restore may take longer than one delivery of its queue message may run, and a message may be
 * delivered again while its first delivery still runs. So a delivery first claims the restore (a
 * conditional write; its claim lasts as long as a delivery can live), a second delivery leaves a
 * claimed restore alone, and what a restore made is recorded in its ledger as it is made: a
 * delivery after a stopped one continues where that one stopped and makes nothing twice.
 */
public final class MetadataRestores {
  private static final Logger LOG = Logger.getLogger(MetadataRestores.class.getName());
  private static final int MAX_NAME = 256;
  /**
   * How long a delivery holds its claim: the function timeout (host.json {@code functionTimeout},
   * 30 minutes), after which the host has stopped the delivery, and a minute for clocks that differ.
   */
  static final Duration CLAIM = Duration.ofMinutes(31);

  private final Organizations organizations;
  private final MetadataSnapshots snapshots;
  private final MetadataRestoreRecords records;
  private final Credentials credentials;
  private final MetadataDirectory directory;
  private final MetadataStore store;
  private final MetadataRestore restore;
  private final WorkQueue queue;
  private final Clock clock;
  private final RandomIds ids;
  private final int maxAttempts;

  public MetadataRestores(Organizations organizations, MetadataSnapshots snapshots, MetadataRestoreRecords records,
      Credentials credentials, MetadataDirectory directory, MetadataStore store, WorkQueue queue, Clock clock,
      RandomIds ids, int maxAttempts) {
    this.organizations = organizations;
    this.snapshots = snapshots;
    this.records = records;
    this.credentials = credentials;
    this.directory = directory;
    this.store = store;
    this.restore = new MetadataRestore(store);
    this.queue = queue;
    this.clock = clock;
    this.ids = ids;
    this.maxAttempts = maxAttempts;
  }

  /** Checks and queues a restore; a dry run is refused here (see {@link #plan}). */
  public MetadataRestoreJob request(String organizationId, MetadataRestoreRequest request) {
    String targetOrganization = checked(organizationId, request);
    if (request.isDryRun()) {
      throw ValidationException.of("dryRun", "a dry run is answered by a plan, not queued");
    }
    MetadataRestoreJob job = MetadataRestoreJob.queued(organizationId, ids.hex(12), request.projectId(),
        request.snapshotId(), targetOrganization, request.target().project().strip(), request.onConflictOrDefault(),
        clock.instant());
    records.insert(job);
    queue.enqueue(new WorkItem.RestoreMetadata(organizationId, job.id()));
    return job;
  }

  /**
   * A dry run: what the restore would make, skip and rename in its target project, read from the
   * target now; nothing is written or queued.
   */
  public RestorePlan plan(String organizationId, MetadataRestoreRequest request) {
    String targetOrganization = checked(organizationId, request);
    Organization target = organizations.get(targetOrganization);
    GitCredential credential = credentials.unlock(target.credentialId());
    SourceAccess access = new SourceAccess(target.url(), credential);
    ProjectRef project = targetProject(access, target, request.target().project().strip());
    return restore.plan(organizationId, request.projectId(), request.snapshotId(), project, directory.writer(access),
        request.onConflictOrDefault());
  }

  /** Checks the request; the id of the organization to restore into. */
  private String checked(String organizationId, MetadataRestoreRequest request) {
    organizations.get(organizationId);
    Problems problems = new Problems();
    problems.requireText("projectId", request.projectId(), MAX_NAME);
    problems.requireText("snapshotId", request.snapshotId(), MAX_NAME);
    MetadataRestoreRequest.Target target = request.target();
    if (target == null) {
      problems.add("target", "is required");
    } else {
      problems.checkText("target.organizationId", target.organizationId(), MAX_NAME);
      problems.requireText("target.project", target.project(), MAX_NAME);
    }
    problems.throwIfAny();
    if (ProjectRef.ORGANIZATION.id().equals(request.projectId())) {
      throw ValidationException.of("projectId", "the organization's own metadata (projects, users, groups, "
          + "extensions, feeds) is not restored into a project; name a project's snapshot");
    }
    if (snapshots.find(organizationId, request.projectId(), request.snapshotId()).isEmpty()) {
      throw ValidationException.of("snapshotId", "no metadata snapshot with this id for the project");
    }
    String targetOrganization = target.organizationId() == null ? organizationId : target.organizationId();
    if (organizations.list().stream().noneMatch(o -> o.id().equals(targetOrganization))) {
      throw ValidationException.of("target.organizationId", "no registered organization with this id");
    }
    return targetOrganization;
  }

  /** The restore as the API shows it ({@link MetadataRestoreJob#shown}). */
  public MetadataRestoreJob get(String organizationId, String restoreId) {
    organizations.get(organizationId);
    return records.find(organizationId, restoreId).map(MetadataRestoreJob::shown)
        .orElseThrow(() -> new NotFoundException("metadata restore", restoreId));
  }

  /**
   * A restore whose every delivery died: it fails with the last known error, unless a delivery still
   * holds it (that one finishes it).
   */
  public void giveUp(WorkItem.RestoreMetadata work) {
    String claimant = ids.hex(12);
    records.claim(work.organizationId(), work.restoreId(), claimant, clock.instant(), clock.instant())
        .ifPresent(job -> records.updateClaimed(job.failed(clock.instant(), "gave up after " + maxAttempts
            + " attempts" + (job.error() == null ? "" : "; last error: " + job.error()),
            store.ledger(job.organizationId(), job.id()).counts()), claimant));
  }

  /**
   * The {@code restore-metadata} worker. Claims the restore, then restores what its ledger does not
   * hold yet. Throws (so the queue delivers the message again) when another delivery holds the
   * claim, and when a later attempt may succeed: that attempt continues where this one stopped.
   */
  public void perform(WorkItem.RestoreMetadata work, long attempt) {
    String claimant = ids.hex(12);
    Instant now = clock.instant();
    Optional<MetadataRestoreJob> claimed = records.claim(work.organizationId(), work.restoreId(), claimant, now,
        now.plus(CLAIM));
    if (claimed.isEmpty()) {
      if (records.find(work.organizationId(), work.restoreId()).filter(j -> !j.status().isFinished()).isPresent()) {
        // come back when that delivery has finished, or its claim ran out because it was stopped
        throw new RetryLaterException("metadata restore " + work.restoreId() + " is being run by another delivery");
      }
      return;
    }
    MetadataRestoreJob job = claimed.get();
    RestoreLedger ledger = store.ledger(job.organizationId(), job.id());
    GitCredential credential = null;
    try {
      Organization target = organizations.get(job.targetOrganizationId());
      credential = credentials.unlock(target.credentialId());
      SourceAccess access = new SourceAccess(target.url(), credential);
      ProjectRef project = targetProject(access, target, job.targetProject());
      RestoreReport report = restore.restore(job.organizationId(), job.projectId(), job.snapshotId(), project,
          directory.writer(access), job.onConflict(), ledger);
      finish(job.succeeded(clock.instant(), report), claimant);
      LOG.info(() -> "metadata restore " + job.id() + ": " + report.created() + " created in project " + project.id());
    } catch (RuntimeException e) {
      String reason = Failures.reasonOf(e, credential);
      if (attempt < maxAttempts && Failures.worthRetrying(e)) {
        finish(job.retrying("attempt " + attempt + " failed, will retry: " + reason, ledger.counts()), claimant);
        throw new RetryLaterException("metadata restore " + job.id() + " failed: " + reason);
      }
      finish(job.failed(clock.instant(), reason, ledger.counts()), claimant);
      LOG.warning(() -> "metadata restore " + job.id() + " failed: " + reason);
    }
  }

  private void finish(MetadataRestoreJob job, String claimant) {
    if (!records.updateClaimed(job, claimant)) {
      LOG.warning(() -> "metadata restore " + job.id() + ": another delivery took it over; this one's outcome ("
          + job.status() + ") is not recorded");
    }
  }

  private ProjectRef targetProject(SourceAccess access, Organization target, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return directory.projects(access).stream()
        .filter(p -> p.id().toLowerCase(Locale.ROOT).equals(wanted) || p.name().toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst()
        .orElseThrow(() -> new SourceException(SourceException.Reason.NOT_FOUND,
            "target project " + name + " does not exist in " + target.url()));
  }
}
