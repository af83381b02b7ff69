package dev.bunker.core;

/**
 * Downloading a snapshot as a git bundle: the first request queues the export and answers "not
 * yet"; the {@code export} worker writes it; a later request gets its short-lived URL.
 */
public final class Bundles {
  private final Inventory inventory;
  private final SnapshotExports exports;
  private final WorkQueue queue;

  public Bundles(Inventory inventory, SnapshotExports exports, WorkQueue queue) {
    this.inventory = inventory;
    this.exports = exports;
    this.queue = queue;
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

  /** The {@code export} worker. */
  public void write(WorkItem.ExportBundle work) {
    exports.write(new RepositoryKey(work.organizationId(), work.repositoryId()), work.snapshotId());
  }
}
