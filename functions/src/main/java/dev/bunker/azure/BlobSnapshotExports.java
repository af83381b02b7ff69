package dev.bunker.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.port.SnapshotExports;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.BundleReport;
import dev.bunker.store.GitStore;
import dev.bunker.store.SnapshotId;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/** Snapshot bundles as {@link ExportBlobs}, written from the git store. */
public final class BlobSnapshotExports implements SnapshotExports {
  public static final String CONTENT_TYPE = "application/x-git-bundle";
  private static final Logger LOG = Logger.getLogger(BlobSnapshotExports.class.getName());

  private final GitStore store;
  private final ExportBlobs exports;

  public BlobSnapshotExports(GitStore store, ExportBlobs exports) {
    this.store = store;
    this.exports = exports;
  }

  /** Links signed with the account key: for storage reached by connection string (Azurite, local development). */
  public static BlobSnapshotExports signedWithAccountKey(GitStore store, BlobContainerClient container, Clock clock) {
    return new BlobSnapshotExports(store, ExportBlobs.signedWithAccountKey(container, clock));
  }

  /** Links signed with a user delegation key: for storage reached by managed identity (no account key). */
  public static BlobSnapshotExports signedWithUserDelegation(GitStore store, BlobContainerClient container,
      BlobServiceClient service, Clock clock) {
    return new BlobSnapshotExports(store, ExportBlobs.signedWithUserDelegation(container, service, clock));
  }

  @Override
  public ExportStatus status(RepositoryKey repository, String snapshotId) {
    return exports.status(blobName(repository, snapshotId));
  }

  @Override
  public void fail(RepositoryKey repository, String snapshotId, String reason) {
    exports.fail(blobName(repository, snapshotId), reason);
  }

  @Override
  public OptionalLong storedBytes(RepositoryKey repository, String snapshotId) {
    return store.repository(GitStoreVault.key(repository)).storedBytes(SnapshotId.parse(snapshotId));
  }

  @Override
  public void write(RepositoryKey repository, String snapshotId, String fileName) {
    String name = blobName(repository, snapshotId);
    if (exports.exists(name)) {
      return;
    }
    SnapshotId id = SnapshotId.parse(snapshotId);
    BackupRepository stored = store.repository(GitStoreVault.key(repository));
    if (stored.storedBytes(id).isEmpty()) { // the manifest alone: no refs read
      LOG.warning(() -> "not exporting snapshot " + snapshotId + " of repository " + repository.repositoryId()
          + ": the store has no such snapshot");
      return;
    }
    AtomicReference<BundleReport> report = new AtomicReference<>();
    exports.write(name, new BlobHttpHeaders().setContentType(CONTENT_TYPE).setContentDisposition(
        "attachment; filename=\"" + fileName + "\""),
        out -> report.set(stored.writeBundle(id, out)))
        .ifPresent(bytes -> LOG.info(() -> "exported snapshot " + snapshotId + " of repository "
            + repository.repositoryId() + ": " + bytes + " bytes, " + report.get()));
  }

  /** The blob a snapshot's bundle is exported to. */
  public static String blobName(RepositoryKey repository, String snapshotId) {
    return ExportBlobs.PREFIX + repository.organizationId() + "/" + repository.repositoryId() + "/" + snapshotId
        + ".bundle";
  }
}
