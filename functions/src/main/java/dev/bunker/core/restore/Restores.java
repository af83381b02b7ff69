package dev.bunker.core.restore;

import dev.bunker.core.model.Failures;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Problems;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Restore;
import dev.bunker.core.model.RestoreRequest;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.model.RestoreTarget;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.organization.Credentials;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.port.RestoreRecords;
import dev.bunker.core.port.SnapshotRecords;
import dev.bunker.core.port.SourceDirectory;
import dev.bunker.core.port.WorkQueue;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Restoring a snapshot: the request is checked and queued; the {@code restore} worker pushes the
 * snapshot into an existing empty repository, or one it creates, in this or another registered
 * organization.
 */
public final class Restores {
  private static final Logger LOG = Logger.getLogger(Restores.class.getName());
  private static final int MAX_NAME = 256;

  private final Organizations organizations;
  private final Inventory inventory;
  private final RestoreRecords records;
  private final SnapshotRecords snapshots;
  private final Credentials credentials;
  private final SourceDirectory source;
  private final RepositoryVault vault;
  private final WorkQueue queue;
  private final Clock clock;
  private final RandomIds ids;
  private final int maxAttempts;

  public Restores(Organizations organizations, Inventory inventory, Catalog catalog, Credentials credentials,
      SourceDirectory source, RepositoryVault vault, WorkQueue queue, Clock clock, RandomIds ids, int maxAttempts) {
    this.organizations = organizations;
    this.inventory = inventory;
    this.records = catalog.restores();
    this.snapshots = catalog.snapshots();
    this.credentials = credentials;
    this.source = source;
    this.vault = vault;
    this.queue = queue;
    this.clock = clock;
    this.ids = ids;
    this.maxAttempts = maxAttempts;
  }

  public Restore request(String organizationId, RestoreRequest request) {
    organizations.get(organizationId);
    Problems problems = new Problems();
    problems.requireText("repositoryId", request.repositoryId(), MAX_NAME);
    problems.requireText("snapshotId", request.snapshotId(), MAX_NAME);
    RestoreTarget target = request.target();
    if (target == null) {
      problems.add("target", "is required");
    } else {
      problems.checkText("target.organizationId", target.organizationId(), MAX_NAME);
      problems.requireText("target.project", target.project(), MAX_NAME);
      problems.requireText("target.repository", target.repository(), MAX_NAME);
    }
    problems.throwIfAny();
    Repository repository = inventory.repositories(organizationId).stream()
        .filter(known -> known.id().equals(request.repositoryId()))
        .findFirst()
        .orElseThrow(() -> ValidationException.of("repositoryId", "no backed-up repository with this id"));
    if (snapshots.find(repository.key(), request.snapshotId()).isEmpty()) {
      throw ValidationException.of("snapshotId", "no snapshot with this id for the repository");
    }
    RestoreTarget resolved = new RestoreTarget(
        target.organizationId() == null ? organizationId : target.organizationId(),
        target.project().strip(), target.repository().strip(), target.creates());
    if (organizations.list().stream().noneMatch(o -> o.id().equals(resolved.organizationId()))) {
      throw ValidationException.of("target.organizationId", "no registered organization with this id");
    }
    Restore restore = new Restore(organizationId, ids.hex(12), repository.id(), request.snapshotId(), resolved,
        RestoreStatus.QUEUED, clock.instant(), null, null, null);
    records.insert(restore);
    queue.enqueue(new WorkItem.RestoreSnapshot(organizationId, restore.id()));
    return restore;
  }

  public Restore get(String organizationId, String restoreId) {
    organizations.get(organizationId);
    return records.find(organizationId, restoreId).orElseThrow(() -> new NotFoundException("restore", restoreId));
  }

  /** A restore whose every delivery died: it fails with the last known error. */
  public void giveUp(WorkItem.RestoreSnapshot work) {
    records.find(work.organizationId(), work.restoreId())
        .filter(restore -> !restore.status().isFinished())
        .ifPresent(restore -> records.update(restore.failed(clock.instant(), "gave up after " + maxAttempts
            + " attempts" + (restore.error() == null ? "" : "; last error: " + restore.error()))));
  }

  /** The {@code restore} worker. Throws (so the queue retries) only when a later attempt may succeed. */
  public void perform(WorkItem.RestoreSnapshot work, long attempt) {
    Optional<Restore> found = records.find(work.organizationId(), work.restoreId());
    if (found.isEmpty() || found.get().status().isFinished()) {
      return;
    }
    // A delivery after one that started may find the target holding what that one pushed; the push
    // itself keeps refs equal to the snapshot's and refuses every other, so it decides then.
    boolean continuing = attempt > 1 || found.get().status() == RestoreStatus.RUNNING;
    Restore restore = found.get().running();
    records.update(restore);
    GitCredential credential = null;
    try {
      Organization target = organizations.get(restore.target().organizationId());
      credential = credentials.unlock(target.credentialId());
      SourceAccess access = new SourceAccess(target.url(), credential);
      String project = restore.target().project();
      String name = restore.target().repository();
      Optional<SourceRepository> existing = source.findRepository(access, project, name);
      SourceRepository repository;
      if (existing.isPresent()) {
        if (!existing.get().empty() && !continuing) {
          throw new SourceException(SourceException.Reason.CONFLICT,
              "target repository " + project + "/" + name + " is not empty; restore needs an empty or new repository");
        }
        repository = existing.get();
      } else if (restore.target().creates()) {
        repository = source.createRepository(access, project, name);
      } else {
        throw new SourceException(SourceException.Reason.NOT_FOUND,
            "target repository " + project + "/" + name + " does not exist; ask for create: true to create it");
      }
      vault.restore(new RepositoryKey(restore.organizationId(), restore.repositoryId()), restore.snapshotId(),
          new GitEndpoint(repository.remoteUrl(), credential));
      records.update(restore.succeeded(clock.instant(), repository.remoteUrl()));
      LOG.info(() -> "restore " + restore.id() + ": snapshot " + restore.snapshotId() + " pushed");
    } catch (RuntimeException e) {
      String reason = Failures.reasonOf(e, credential);
      if (attempt < maxAttempts && Failures.worthRetrying(e)) {
        records.update(restore.retrying("attempt " + attempt + " failed, will retry: " + reason));
        throw new RetryLaterException("restore " + restore.id() + " failed: " + reason);
      }
      records.update(restore.failed(clock.instant(), reason));
      LOG.warning(() -> "restore " + restore.id() + " failed: " + reason);
    }
  }
}
