package dev.bunker.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import dev.bunker.core.GitEndpoint;
import dev.bunker.core.RepositoryKey;
import dev.bunker.core.RepositoryVault;
import dev.bunker.core.SnapshotRef;
import dev.bunker.core.SnapshotSummary;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.LfsReceiver;
import dev.bunker.store.Snapshot;
import dev.bunker.store.SnapshotId;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The git vault with Git LFS: after each backup, the LFS objects that the backup's new commits
 * point to are downloaded from the repository's LFS server and stored once per organization by
 * sha-256 under {@code orgs/<orgId>/lfs/<sha256>}, checked against their pointer first. A failed
 * download fails the backup (the queue retries it, and the retry looks again at the same commits);
 * an object the server cannot offer is logged and skipped. Bundles and restores carry the pointer
 * files only: the objects stay in the backup account.
 */
public final class LfsVault implements RepositoryVault {
  private static final Logger LOG = Logger.getLogger(LfsVault.class.getName());

  /** Downloads LFS objects of a repository (the Azure DevOps client). */
  @FunctionalInterface
  public interface Downloads {
    void download(GitEndpoint repository, List<LfsPointer> pointers, LfsReceiver receiver);
  }

  private final RepositoryVault vault;
  private final GitStore store;
  private final BlobContainerClient container;
  private final Downloads downloads;

  public LfsVault(RepositoryVault vault, GitStore store, BlobContainerClient container, Downloads downloads) {
    this.vault = vault;
    this.store = store;
    this.container = container;
    this.downloads = downloads;
  }

  /** Where an LFS object of an organization is kept. */
  public static String blobName(String organizationId, String oid) {
    return "orgs/" + organizationId + "/lfs/" + oid;
  }

  @Override
  public SnapshotSummary backup(RepositoryKey repository, String snapshotId, GitEndpoint source) {
    SnapshotSummary summary = vault.backup(repository, snapshotId, source);
    BackupRepository stored = store.repository(GitStoreVault.key(repository));
    SnapshotId id = SnapshotId.parse(snapshotId);
    Optional<SnapshotId> previous = stored.snapshots().stream().map(Snapshot::id)
        .filter(other -> other.compareTo(id) < 0).max(Comparator.naturalOrder());
    List<LfsPointer> missing = stored.lfsPointers(id, previous).stream()
        .filter(pointer -> !container.getBlobClient(blobName(repository.organizationId(), pointer.oid())).exists())
        .sorted(Comparator.comparing(LfsPointer::oid))
        .toList();
    if (!missing.isEmpty()) {
      Receiver receiver = new Receiver(repository.organizationId());
      downloads.download(source, missing, receiver);
      LOG.info(() -> "repository " + repository.repositoryId() + ", snapshot " + snapshotId + ": "
          + receiver.stored.get() + " LFS objects stored (" + receiver.bytes.get() + " bytes), "
          + receiver.unavailable.get() + " unavailable");
    }
    return summary;
  }

  @Override
  public List<SnapshotRef> refs(RepositoryKey repository, String snapshotId) {
    return vault.refs(repository, snapshotId);
  }

  @Override
  public void restore(RepositoryKey repository, String snapshotId, GitEndpoint target) {
    vault.restore(repository, snapshotId, target);
  }

  @Override
  public void forget(RepositoryKey repository, Collection<String> snapshotIds) {
    vault.forget(repository, snapshotIds);
  }

  @Override
  public void maintain(RepositoryKey repository) {
    vault.maintain(repository);
  }

  /** Keeps objects that match their pointer; counts what it kept and what the server could not give. */
  private final class Receiver implements LfsReceiver {
    private final String organizationId;
    final AtomicInteger stored = new AtomicInteger();
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();

    Receiver(String organizationId) {
      this.organizationId = organizationId;
    }

    @Override
    public void object(LfsPointer pointer, byte[] content) {
      if (!pointer.matches(content)) {
        unavailable(pointer, "the server's content does not match the pointer");
        return;
      }
      BlobClient blob = container.getBlobClient(blobName(organizationId, pointer.oid()));
      try {
        blob.upload(BinaryData.fromBytes(content), false);
        stored.incrementAndGet();
        bytes.addAndGet(content.length);
      } catch (BlobStorageException e) {
        if (e.getStatusCode() != 409) {
          throw e; // 409: stored meanwhile by a backup of another repository
        }
      }
    }

    @Override
    public void unavailable(LfsPointer pointer, String reason) {
      unavailable.incrementAndGet();
      LOG.warning(() -> "LFS object " + pointer.oid() + " (" + pointer.size() + " bytes) not backed up: " + reason);
    }
  }
}
