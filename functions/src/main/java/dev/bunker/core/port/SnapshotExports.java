package dev.bunker.core.port;

import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.RepositoryKey;
import java.util.OptionalLong;

/**
 * Snapshots written as git bundles into export blobs for download (the git store and the backup
 * storage account in production). Large downloads never pass through a function: callers get a
 * short-lived read-only URL of the blob.
 */
public interface SnapshotExports {
  /**
   * Where the export of a snapshot stands; a ready one comes with a fresh short-lived read-only
   * URL (a SAS URL: give it only to the caller who asked, never log it).
   */
  ExportStatus status(RepositoryKey repository, String snapshotId);

  /**
   * About the most the snapshot's bundle comes to: the bytes of the stored packs it is copied
   * from. Empty when the store has no such snapshot.
   */
  OptionalLong storedBytes(RepositoryKey repository, String snapshotId);

  /**
   * Writes the snapshot's bundle into its export blob, streaming (never whole in memory), to be
   * downloaded as {@code fileName}. Idempotent: returns at once when the export exists.
   */
  void write(RepositoryKey repository, String snapshotId, String fileName);

  /**
   * Records that every attempt to write the snapshot's export failed, with the reason a user reads;
   * status answers it for a while, then a new request tries again.
   */
  void fail(RepositoryKey repository, String snapshotId, String reason);
}
