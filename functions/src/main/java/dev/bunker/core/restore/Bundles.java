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
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Downloading a snapshot as a git bundle. A small one is written by the request that first asks
 * for it, which then answers with its short-lived URL; a larger one is queued, the request answers
 * "not yet", the {@code export} worker writes it, and a later request gets the URL.
 */
public final class Bundles {
  /**
   * The largest bundle (by {@link SnapshotExports#storedBytes}) a request writes itself: a second
   * or two of copying, where the queue's hop to the worker costs up to {@code maxPollingInterval}
   * (2 s) and the client's polling more; larger ones take long enough for the hop not to matter,
   * and keep requests well inside the HTTP timeout.
   */
  public static final long WRITTEN_WHEN_ASKED = 64L << 20;
  private static final Logger LOG = Logger.getLogger(Bundles.class.getName());

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

  /**
   * The export's status, writing it first when it is missing and small, queueing it when missing
   * and larger (or when writing it here failed); {@link NotFoundException} for unknown ids and for
   * a snapshot the store no longer holds.
   */
  public ExportStatus request(String organizationId, String repositoryId, String snapshotId) {
    Snapshot snapshot = inventory.snapshotRecord(organizationId, repositoryId, snapshotId);
    RepositoryKey repository = snapshot.repositoryKey();
    ExportStatus status = exports.status(repository, snapshot.id());
    if (status.state() != ExportStatus.State.MISSING) {
      return status;
    }
    try {
      OptionalLong size = exports.storedBytes(repository, snapshotId);
      if (size.isEmpty()) {
        // catalogued but no longer stored: retention forgets a snapshot in the store first
        throw new NotFoundException("snapshot", snapshotId);
      }
      if (size.getAsLong() <= WRITTEN_WHEN_ASKED) {
        writeExport(repository, snapshotId);
        // ready, or being written by a request that came first
        return exports.status(repository, snapshotId);
      }
    } catch (NotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warning(() -> "could not write the bundle of snapshot " + snapshotId + " while asked, queueing it: "
          + Failures.reasonOf(e, null));
    }
    // polls that come before the worker starts queue it again; writing is idempotent
    queue.enqueue(new WorkItem.ExportBundle(organizationId, repositoryId, snapshotId));
    return ExportStatus.writing();
  }

  /** The {@code export} worker: the last attempt records its failure, so pollers stop waiting. */
  public void write(WorkItem.ExportBundle work, long attempt) {
    RepositoryKey repository = new RepositoryKey(work.organizationId(), work.repositoryId());
    try {
      writeExport(repository, work.snapshotId());
    } catch (RuntimeException e) {
      if (attempt < maxAttempts) {
        throw e;
      }
      exports.fail(repository, work.snapshotId(), Failures.reasonOf(e, null));
    }
  }

  private void writeExport(RepositoryKey repository, String snapshotId) {
    exports.write(repository, snapshotId,
        fileName(inventory.repository(repository.organizationId(), repository.repositoryId()), snapshotId));
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
