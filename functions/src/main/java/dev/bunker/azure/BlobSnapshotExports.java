package dev.bunker.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.port.SnapshotExports;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.SnapshotId;
import dev.bunker.store.SnapshotNotFoundException;
import dev.bunker.store.StoredBundle;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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

  /**
   * A bundle that is a stored pack behind its header ({@link BackupRepository#storedBundle}: a
   * repository's first snapshots, before anything changed) is put together by storage, its pack
   * copied from the store's blob;
   * every other one is written by the store, streaming. An export that exists is left alone
   * ({@link ExportBlobs} looks before it writes).
   */
  @Override
  public void write(RepositoryKey repository, String snapshotId, String fileName) {
    String name = blobName(repository, snapshotId);
    SnapshotId id = SnapshotId.parse(snapshotId);
    BackupRepository stored = store.repository(GitStoreVault.key(repository));
    Optional<StoredBundle> whole;
    try {
      whole = stored.storedBundle(id); // the manifest, and the refs only when one pack may be it
    } catch (SnapshotNotFoundException e) {
      LOG.warning(() -> "not exporting snapshot " + snapshotId + " of repository " + repository.repositoryId()
          + ": the store has no such snapshot");
      return;
    }
    BlobHttpHeaders headers = new BlobHttpHeaders().setContentType(CONTENT_TYPE)
        .setContentDisposition("attachment; filename=\"" + fileName + "\"");
    AtomicReference<String> how = new AtomicReference<>();
    Consumer<OutputStream> written = out -> how.set(stored.writeBundle(id, out).toString());
    OptionalLong bytes = whole.isEmpty() ? exports.write(name, headers, written)
        : exports.writeCopying(name, headers, whole.get().header(), whole.get().packBlob(), whole.get().packBytes(),
            written);
    bytes.ifPresent(n -> LOG.info(() -> "exported snapshot " + snapshotId + " of repository "
        + repository.repositoryId() + ": " + n + " bytes, " + Optional.ofNullable(how.get())
            .orElseGet(() -> whole.get().report() + ", its pack copied by storage from " + whole.get().packBlob())));
  }

  /** The blob a snapshot's bundle is exported to. */
  public static String blobName(RepositoryKey repository, String snapshotId) {
    return ExportBlobs.PREFIX + repository.organizationId() + "/" + repository.repositoryId() + "/" + snapshotId
        + ".bundle";
  }
}
