package dev.bunker.azure;

import com.azure.storage.blob.models.BlobHttpHeaders;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.port.MetadataExports;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.MetadataZip;
import java.util.Optional;
import java.util.logging.Logger;

/** Project metadata snapshots as zips in {@link ExportBlobs}, written from the metadata store. */
public final class BlobMetadataExports implements MetadataExports {
  public static final String CONTENT_TYPE = "application/zip";
  private static final Logger LOG = Logger.getLogger(BlobMetadataExports.class.getName());

  private final MetadataStore store;
  private final ExportBlobs exports;

  public BlobMetadataExports(MetadataStore store, ExportBlobs exports) {
    this.store = store;
    this.exports = exports;
  }

  @Override
  public ExportStatus status(String organizationId, String projectId, String snapshotId) {
    return exports.status(blobName(organizationId, projectId, snapshotId));
  }

  @Override
  public void fail(String organizationId, String projectId, String snapshotId, String reason) {
    exports.fail(blobName(organizationId, projectId, snapshotId), reason);
  }

  @Override
  public void write(String organizationId, String projectId, String snapshotId) {
    String name = blobName(organizationId, projectId, snapshotId);
    if (exports.exists(name)) {
      return;
    }
    Optional<MetadataSnapshot> snapshot = store.snapshot(organizationId, projectId, snapshotId);
    if (snapshot.isEmpty()) {
      LOG.warning(() -> "not exporting metadata snapshot " + snapshotId + " of project " + projectId
          + ": the store has no such snapshot");
      return;
    }
    exports.write(name, new BlobHttpHeaders().setContentType(CONTENT_TYPE).setContentDisposition(
        "attachment; filename=\"" + projectId + "-" + snapshotId + "-metadata.zip\""),
        out -> MetadataZip.write(store, snapshot.get(), out))
        .ifPresent(bytes -> LOG.info(() -> "exported metadata snapshot " + snapshotId + " of project " + projectId
            + ": " + bytes + " bytes"));
  }

  /** The blob a project's metadata snapshot is exported to. */
  public static String blobName(String organizationId, String projectId, String snapshotId) {
    return ExportBlobs.PREFIX + organizationId + "/metadata/" + projectId + "/" + snapshotId + ".zip";
  }
}
