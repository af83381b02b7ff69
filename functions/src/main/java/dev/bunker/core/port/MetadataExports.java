package dev.bunker.core.port;

import dev.bunker.core.model.ExportStatus;

/**
 * Project metadata snapshots written as zips into export blobs for download (the backup storage
 * account in production), handed out like bundles: a short-lived read-only URL of the blob.
 */
public interface MetadataExports {
  /** Where the zip of a snapshot stands; a ready one comes with a fresh short-lived URL (never log it). */
  ExportStatus status(String organizationId, String projectId, String snapshotId);

  /** Writes the snapshot's zip into its export blob, streaming. Idempotent: returns at once when it exists. */
  void write(String organizationId, String projectId, String snapshotId);

  /** Records that every attempt to write the zip failed, as {@link SnapshotExports#fail} does for bundles. */
  void fail(String organizationId, String projectId, String snapshotId, String reason);
}
