package dev.bunker.core.restore;

import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.Failures;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.SnapshotExports;
import dev.bunker.core.port.WorkQueue;

/**
 * Downloading a snapshot as a git bundle: the first request queues the export and answers "not
 * yet"; the {@code export} worker writes it; a later request gets its short-lived URL.
 */
public final class Bundles {
  private final Inventory inventory;
  private final SnapshotExports exports;
  private final WorkQueue queue;
  private final int maxAttempts;

  public Bundles(Inventory inventory, SnapshotExports exports, WorkQueue queue, int maxAttempts) {
    this.inventory = inventory;
    this.exports = exports;
    this.queue = queue;
    this.maxAttempts = maxAttempts;
  }

  /** The export's status, queueing it when nobody has yet; {@link NotFoundException} for unknown ids. */
  public ExportStatus request(String organizationId, String repositoryId, String snapshotId) {
    Snapshot snapshot = inventory.snapshotRecord(organizationId, repositoryId, snapshotId);
    ExportStatus status = exports.status(snapshot.repositoryKey(), snapshot.id());
    if (status.state() != ExportStatus.State.MISSING) {
      return status;
    }
    // polls that come before the worker starts queue it again; writing is idempotent
    queue.enqueue(new WorkItem.ExportBundle(organizationId, repositoryId, snapshotId));
    return ExportStatus.writing();
  }

  /** The {@code export} worker: the last attempt records its failure, so pollers stop waiting. */
  public void write(WorkItem.ExportBundle work, long attempt) {
    RepositoryKey repository = new RepositoryKey(work.organizationId(), work.repositoryId());
    try {
      exports.write(repository, work.snapshotId(),
          fileName(inventory.repository(work.organizationId(), work.repositoryId()), work.snapshotId()));
    } catch (RuntimeException e) {
      if (attempt < maxAttempts) {
        throw e;
      }
      exports.fail(repository, work.snapshotId(), Failures.reasonOf(e, null));
    }
  }

  /**
   * What a downloaded bundle is called, {@code <project>-<repository>-<snapshot>.bundle}, in
   * letters, digits, dots, underscores and single dashes (any other run of characters is a dash).
   */
  static String fileName(Repository repository, String snapshotId) {
    return (repository.project() + "-" + repository.name() + "-" + snapshotId).replaceAll("[^A-Za-z0-9._]+", "-")
        + ".bundle";
  }

  /** The {@code export-poison} worker: every attempt was stopped before it could record a failure. */
  public void giveUp(WorkItem.ExportBundle work) {
    exports.fail(new RepositoryKey(work.organizationId(), work.repositoryId()), work.snapshotId(),
        Failures.STOPPED_EVERY_TIME);
  }
}
