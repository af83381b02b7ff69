package dev.bunker.core;

import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreReport;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Restoring a project's metadata snapshot: the request is checked and queued; the {@code
 * restore-metadata} worker creates the snapshot's build definitions and work items in an existing
 * project of this or another registered organization, and records what it created and what it
 * could not restore as it was.
 */
public final class MetadataRestores {
  private static final Logger LOG = Logger.getLogger(MetadataRestores.class.getName());
  private static final int MAX_NAME = 256;

  private final Organizations organizations;
  private final MetadataSnapshots snapshots;
  private final MetadataRestoreRecords records;
  private final Credentials credentials;
  private final MetadataDirectory directory;
  private final MetadataRestore restore;
  private final WorkQueue queue;
  private final Clock clock;
  private final RandomIds ids;
  private final int maxAttempts;

  MetadataRestores(Organizations organizations, MetadataSnapshots snapshots, MetadataRestoreRecords records,
      Credentials credentials, MetadataDirectory directory, MetadataStore store, WorkQueue queue, Clock clock,
      RandomIds ids, int maxAttempts) {
    this.organizations = organizations;
    this.snapshots = snapshots;
    this.records = records;
    this.credentials = credentials;
    this.directory = directory;
    this.restore = new MetadataRestore(store);
    this.queue = queue;
    this.clock = clock;
    this.ids = ids;
    this.maxAttempts = maxAttempts;
  }

  public MetadataRestoreJob request(String organizationId, MetadataRestoreRequest request) {
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
    MetadataRestoreJob job = new MetadataRestoreJob(organizationId, ids.hex(12), request.projectId(),
        request.snapshotId(), targetOrganization, target.project().strip(), RestoreStatus.QUEUED, clock.instant(),
        null, Map.of(), List.of(), List.of(), null);
    records.insert(job);
    queue.enqueue(new WorkItem.RestoreMetadata(organizationId, job.id()));
    return job;
  }

  public MetadataRestoreJob get(String organizationId, String restoreId) {
    organizations.get(organizationId);
    return records.find(organizationId, restoreId)
        .orElseThrow(() -> new NotFoundException("metadata restore", restoreId));
  }

  /** A restore whose every delivery died: it fails with the last known error. */
  public void giveUp(WorkItem.RestoreMetadata work) {
    records.find(work.organizationId(), work.restoreId())
        .filter(job -> !job.status().isFinished())
        .ifPresent(job -> records.update(job.failed(clock.instant(), "gave up after " + maxAttempts
            + " attempts" + (job.error() == null ? "" : "; last error: " + job.error()))));
  }

  /**
   * The {@code restore-metadata} worker. Throws (so the queue retries) only when a later attempt may
   * succeed and nothing was written yet: creating work items again would duplicate them (the client
   * already retries throttled and failed calls).
   */
  public void perform(WorkItem.RestoreMetadata work, long attempt) {
    Optional<MetadataRestoreJob> found = records.find(work.organizationId(), work.restoreId());
    if (found.isEmpty() || found.get().status().isFinished()) {
      return;
    }
    MetadataRestoreJob job = found.get().running();
    records.update(job);
    GitCredential credential = null;
    boolean writing = false;
    try {
      Organization target = organizations.get(job.targetOrganizationId());
      credential = credentials.unlock(target.credentialId());
      SourceAccess access = new SourceAccess(target.url(), credential);
      String wanted = job.targetProject().toLowerCase(Locale.ROOT);
      ProjectRef project = directory.projects(access).stream()
          .filter(p -> p.id().toLowerCase(Locale.ROOT).equals(wanted) || p.name().toLowerCase(Locale.ROOT).equals(wanted))
          .findFirst()
          .orElseThrow(() -> new SourceException(SourceException.Reason.NOT_FOUND,
              "target project " + job.targetProject() + " does not exist in " + target.url()));
      writing = true;
      RestoreReport report = restore.restore(job.organizationId(), job.projectId(), job.snapshotId(), project,
          directory.writer(access));
      records.update(job.succeeded(clock.instant(), report.created(), report.unmappedIdentities(), report.notes()));
      LOG.info(() -> "metadata restore " + job.id() + ": " + report.created() + " created in project " + project.id());
    } catch (RuntimeException e) {
      String reason = Failures.reasonOf(e, credential);
      if (!writing && attempt < maxAttempts && Failures.worthRetrying(e)) {
        records.update(job.retrying("attempt " + attempt + " failed, will retry: " + reason));
        throw new RetryLaterException("metadata restore " + job.id() + " failed: " + reason);
      }
      records.update(job.failed(clock.instant(), reason));
      LOG.warning(() -> "metadata restore " + job.id() + " failed: " + reason);
    }
  }
}
