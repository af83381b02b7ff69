package dev.bunker.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.bunker.core.ExportStatus;
import dev.bunker.core.RepositoryKey;
import dev.bunker.core.SnapshotExports;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.SnapshotId;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Snapshot bundles as blobs under {@value #PREFIX} in the backup container (outside {@code orgs/},
 * so a lifecycle rule can expire them), handed out as short-lived read-only SAS URLs.
 *
 * <p>A bundle is streamed from the store into staged blocks and committed only once complete, so
 * a half-written export never becomes visible. While it is written, a marker blob next to it is
 * leased by the writer (renewed as it runs): a leased marker means "being written", a marker
 * whose lease lapsed means the writer died and the export may start again.
 */
public final class BlobSnapshotExports implements SnapshotExports {
  public static final String PREFIX = "exports/";
  public static final String CONTENT_TYPE = "application/x-git-bundle";
  /** How long a handed-out download link works. */
  public static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
  private static final Logger LOG = Logger.getLogger(BlobSnapshotExports.class.getName());
  private static final int LEASE_SECONDS = 60;
  private static final int BLOCK_SIZE = 4 << 20;
  private static final ScheduledExecutorService RENEWALS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "bunker-export-lease-renewal");
    thread.setDaemon(true);
    return thread;
  });

  private final GitStore store;
  private final BlobContainerClient container;
  private final BiFunction<BlobClient, OffsetDateTime, String> signer;
  private final Clock clock;

  private BlobSnapshotExports(GitStore store, BlobContainerClient container,
      BiFunction<BlobClient, OffsetDateTime, String> signer, Clock clock) {
    this.store = store;
    this.container = container;
    this.signer = signer;
    this.clock = clock;
  }

  /** Links signed with the account key: for storage reached by connection string (Azurite, local development). */
  public static BlobSnapshotExports signedWithAccountKey(GitStore store, BlobContainerClient container, Clock clock) {
    return new BlobSnapshotExports(store, container,
        (blob, expiry) -> blob.generateSas(readOnly(expiry)), clock);
  }

  /** Links signed with a user delegation key: for storage reached by managed identity (no account key). */
  public static BlobSnapshotExports signedWithUserDelegation(GitStore store, BlobContainerClient container,
      BlobServiceClient service, Clock clock) {
    DelegationKeys keys = new DelegationKeys(service, clock);
    return new BlobSnapshotExports(store, container,
        (blob, expiry) -> blob.generateUserDelegationSas(readOnly(expiry), keys.validUntil(expiry)), clock);
  }

  @Override
  public ExportStatus status(RepositoryKey repository, String snapshotId) {
    String name = blobName(repository, snapshotId);
    if (properties(container.getBlobClient(name)).isPresent()) {
      OffsetDateTime expiry = OffsetDateTime.ofInstant(clock.instant().plus(LINK_LIFETIME), ZoneOffset.UTC);
      BlobClient blob = container.getBlobClient(name);
      return ExportStatus.ready(URI.create(blob.getBlobUrl() + "?" + signer.apply(blob, expiry)));
    }
    boolean writing = properties(container.getBlobClient(name + ".writing"))
        .map(marker -> marker.getLeaseState() == LeaseStateType.LEASED)
        .orElse(false);
    return writing ? ExportStatus.writing() : ExportStatus.missing();
  }

  @Override
  public void write(RepositoryKey repository, String snapshotId) {
    String name = blobName(repository, snapshotId);
    BlobClient bundle = container.getBlobClient(name);
    if (properties(bundle).isPresent()) {
      return;
    }
    SnapshotId id = SnapshotId.parse(snapshotId);
    BackupRepository stored = store.repository(GitStoreVault.key(repository));
    if (stored.snapshot(id).isEmpty()) {
      LOG.warning(() -> "not exporting snapshot " + snapshotId + " of repository " + repository.repositoryId()
          + ": the store has no such snapshot");
      return;
    }
    BlobClient marker = container.getBlobClient(name + ".writing");
    Optional<BlobLeaseClient> lease = takeMarker(marker);
    if (lease.isEmpty()) {
      LOG.info(() -> "export of snapshot " + snapshotId + " of repository " + repository.repositoryId()
          + " is being written by another worker");
      return;
    }
    ScheduledFuture<?> renewal = RENEWALS.scheduleAtFixedRate(() -> renew(lease.get()),
        LEASE_SECONDS / 3, LEASE_SECONDS / 3, TimeUnit.SECONDS);
    try {
      StagedBlocks out = new StagedBlocks(bundle.getBlockBlobClient());
      stored.writeBundle(id, out);
      out.commit(new BlobHttpHeaders().setContentType(CONTENT_TYPE).setContentDisposition(
          "attachment; filename=\"" + repository.repositoryId() + "-" + snapshotId + ".bundle\""));
      LOG.info(() -> "exported snapshot " + snapshotId + " of repository " + repository.repositoryId()
          + ": " + out.bytes() + " bytes");
    } finally {
      renewal.cancel(false);
      try {
        marker.deleteWithResponse(null, new BlobRequestConditions()
            .setLeaseId(lease.get().getLeaseId()), null, Context.NONE);
      } catch (BlobStorageException e) {
        LOG.warning(() -> "could not remove the export marker " + marker.getBlobName() + ": " + e.getErrorCode());
      }
    }
  }

  /** The blob a snapshot's bundle is exported to. */
  public static String blobName(RepositoryKey repository, String snapshotId) {
    return PREFIX + repository.organizationId() + "/" + repository.repositoryId() + "/" + snapshotId + ".bundle";
  }

  /** Creates the marker and leases it; empty when another writer holds it. */
  private static Optional<BlobLeaseClient> takeMarker(BlobClient marker) {
    try {
      marker.upload(BinaryData.fromString(""), true);
      BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(marker).buildClient();
      lease.acquireLease(LEASE_SECONDS);
      return Optional.of(lease);
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
        return Optional.empty(); // leased: another writer is at it
      }
      throw e;
    }
  }

  private static void renew(BlobLeaseClient lease) {
    try {
      lease.renewLease();
    } catch (RuntimeException e) {
      LOG.warning(() -> "could not renew an export marker's lease: " + e.getMessage());
    }
  }

  private static Optional<BlobProperties> properties(BlobClient blob) {
    try {
      return Optional.of(blob.getProperties());
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static BlobServiceSasSignatureValues readOnly(OffsetDateTime expiry) {
    return new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true));
  }

  /**
   * A block blob written block by block ({@value #BLOCK_SIZE} bytes held at most) and made visible
   * only by {@link #commit}: closing without committing leaves nothing but uncommitted blocks,
   * which the service discards.
   */
  private static final class StagedBlocks extends OutputStream {
    private final BlockBlobClient blob;
    private final byte[] buffer = new byte[BLOCK_SIZE];
    private final List<String> blockIds = new ArrayList<>();
    private int filled;
    private long bytes;

    StagedBlocks(BlockBlobClient blob) {
      this.blob = blob;
    }

    @Override
    public void write(int b) {
      if (filled == buffer.length) {
        stage();
      }
      buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] data, int offset, int length) {
      while (length > 0) {
        if (filled == buffer.length) {
          stage();
        }
        int n = Math.min(length, buffer.length - filled);
        System.arraycopy(data, offset, buffer, filled, n);
        filled += n;
        offset += n;
        length -= n;
      }
    }

    void commit(BlobHttpHeaders headers) {
      stage();
      blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds).setHeaders(headers),
          null, Context.NONE);
    }

    long bytes() {
      return bytes;
    }

    private void stage() {
      if (filled == 0 && !blockIds.isEmpty()) {
        return;
      }
      String id = Base64.getEncoder().encodeToString(
          String.format("%010d", blockIds.size()).getBytes(StandardCharsets.US_ASCII));
      blob.stageBlock(id, new ByteArrayInputStream(buffer, 0, filled), filled);
      blockIds.add(id);
      bytes += filled;
      filled = 0;
    }
  }

  /** A user delegation key, fetched once and reused until shortly before it expires. */
  private static final class DelegationKeys {
    private static final Duration KEY_LIFETIME = Duration.ofDays(1);
    private final BlobServiceClient service;
    private final Clock clock;
    private UserDelegationKey key;

    DelegationKeys(BlobServiceClient service, Clock clock) {
      this.service = service;
      this.clock = clock;
    }

    /** A key valid at least until {@code expiry} (a SAS may not outlive its key). */
    synchronized UserDelegationKey validUntil(OffsetDateTime expiry) {
      if (key == null || !key.getSignedExpiry().isAfter(expiry)) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        key = service.getUserDelegationKey(now.minusMinutes(5), now.plus(KEY_LIFETIME));
      }
      return key;
    }
  }
}
