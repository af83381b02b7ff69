package dev.bunker.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.LeaseLostException;
import dev.bunker.store.blob.RenewedLease;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * Downloads as blobs under {@value #PREFIX} in the backup container (outside {@code orgs/}, so a
 * lifecycle rule can expire them), handed out as short-lived read-only SAS URLs: what git bundles
 * and metadata zips are exported through.
 *
 * <p>An export is streamed into staged blocks and committed only once complete, so a half-written
 * export never becomes visible. While it is written, a marker blob next to it is leased by the
 * writer (renewed as it runs): a leased marker means "being written", a marker whose lease lapsed
 * means the writer died and the export may start again. A writer that loses the lease stops
 * before its next block and never commits. When every attempt failed, a failure
 * record next to it holds the reason and its time; status reports it for {@link #FAILURE_HELD},
 * after which a new request starts over.
 */
public final class ExportBlobs {
  public static final String PREFIX = "exports/";
  /** How long a handed-out download link works. */
  public static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
  /** How long a failed export is reported as failed before a request may try it again. */
  public static final Duration FAILURE_HELD = Duration.ofMinutes(15);
  private static final String FAILED_AT = "failedat";
  private static final Logger LOG = Logger.getLogger(ExportBlobs.class.getName());
  private static final int LEASE_SECONDS = 60;
  private static final int BLOCK_SIZE = 4 << 20;
  private static final int UPLOADS_IN_FLIGHT = 2;
  /**
   * The most one Put Block From URL copies: the limit of service versions before 2019-12-12 (Put
   * Block From URL, "Remarks"; 4,000 MiB since), so any version takes it.
   */
  static final long COPIED_BLOCK = 100L << 20;
  /** How long exports are streamed after storage refused a copy, before copying is tried again. */
  static final Duration COPYING_REFUSED_FOR = Duration.ofHours(1);

  private final BlobContainerClient container;
  private final Blobs blobs;
  private final BiFunction<BlobClient, OffsetDateTime, String> signer;
  private final Clock clock;
  private final Duration renewEvery;
  private final long copiedBlock;
  /** Until when exports are streamed instead of copied, since storage refused a copy (null: copy). */
  private final AtomicReference<Instant> copyingRefusedUntil = new AtomicReference<>();

  private ExportBlobs(BlobContainerClient container, BiFunction<BlobClient, OffsetDateTime, String> signer,
      Clock clock, Duration renewEvery, long copiedBlock) {
    this.container = container;
    this.blobs = new AzureBlobs(container);
    this.signer = signer;
    this.clock = clock;
    this.renewEvery = renewEvery;
    this.copiedBlock = copiedBlock;
  }

  /** Links signed with the account key: for storage reached by connection string (Azurite, local development). */
  public static ExportBlobs signedWithAccountKey(BlobContainerClient container, Clock clock) {
    return signedWithAccountKey(container, clock, Duration.ofSeconds(LEASE_SECONDS / 3));
  }

  /** As {@link #signedWithAccountKey(BlobContainerClient, Clock)}, renewing the writer's lease every {@code renewEvery} (tests). */
  static ExportBlobs signedWithAccountKey(BlobContainerClient container, Clock clock, Duration renewEvery) {
    return signedWithAccountKey(container, clock, renewEvery, COPIED_BLOCK);
  }

  /** As {@link #signedWithAccountKey(BlobContainerClient, Clock, Duration)}, copying blobs in blocks of {@code copiedBlock} bytes (tests). */
  static ExportBlobs signedWithAccountKey(BlobContainerClient container, Clock clock, Duration renewEvery,
      long copiedBlock) {
    return new ExportBlobs(container, (blob, expiry) -> blob.generateSas(readOnly(expiry)), clock, renewEvery,
        copiedBlock);
  }

  /** Links signed by {@code signer} (tests: a signature storage does not accept). */
  static ExportBlobs signedWith(BlobContainerClient container, BiFunction<BlobClient, OffsetDateTime, String> signer,
      Clock clock) {
    return new ExportBlobs(container, signer, clock, Duration.ofSeconds(LEASE_SECONDS / 3), COPIED_BLOCK);
  }

  /** Links signed with a user delegation key: for storage reached by managed identity (no account key). */
  public static ExportBlobs signedWithUserDelegation(BlobContainerClient container, BlobServiceClient service,
      Clock clock) {
    DelegationKeys keys = new DelegationKeys(service, clock);
    return new ExportBlobs(container,
        (blob, expiry) -> blob.generateUserDelegationSas(readOnly(expiry), keys.validUntil(expiry)), clock,
        Duration.ofSeconds(LEASE_SECONDS / 3), COPIED_BLOCK);
  }

  /** Where export {@code name} (under {@value #PREFIX}) stands; a ready one with a fresh link. */
  public ExportStatus status(String name) {
    BlobClient blob = container.getBlobClient(name);
    if (properties(blob).isPresent()) {
      return ExportStatus.ready(URI.create(readLink(blob)));
    }
    boolean writing = properties(container.getBlobClient(name + ".writing"))
        .map(marker -> marker.getLeaseState() == LeaseStateType.LEASED)
        .orElse(false);
    if (writing) {
      return ExportStatus.writing();
    }
    return failure(name).orElse(ExportStatus.missing());
  }

  /** Records that every attempt to write export {@code name} failed, for {@link #FAILURE_HELD}. */
  public void fail(String name, String reason) {
    container.getBlobClient(name + ".failed").getBlockBlobClient().uploadWithResponse(
        new BlockBlobSimpleUploadOptions(BinaryData.fromString(reason))
            .setMetadata(Map.of(FAILED_AT, clock.instant().toString())),
        null, Context.NONE);
  }

  /** A failure record younger than {@link #FAILURE_HELD}; older ones no longer count. */
  private Optional<ExportStatus> failure(String name) {
    BlobClient record = container.getBlobClient(name + ".failed");
    return properties(record)
        .map(properties -> Instant.parse(properties.getMetadata().get(FAILED_AT)).plus(FAILURE_HELD))
        .filter(retryAt -> retryAt.isAfter(clock.instant()))
        .flatMap(retryAt -> {
          try {
            return Optional.of(ExportStatus.failed(record.downloadContent().toString(),
                Duration.between(clock.instant(), retryAt)));
          } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
              return Optional.empty(); // a new attempt succeeded meanwhile
            }
            throw e;
          }
        });
  }

  /** Whether export {@code name} exists (complete). */
  public boolean exists(String name) {
    return properties(container.getBlobClient(name)).isPresent();
  }

  /**
   * Writes export {@code name} with what {@code content} writes, unless it exists or another
   * writer is at it.
   *
   * @return the bytes written, or empty when this call wrote nothing
   */
  public OptionalLong write(String name, BlobHttpHeaders headers, Consumer<OutputStream> content) {
    return underMarker(name, ensureHeld -> staged(name, headers, content::accept, ensureHeld));
  }

  /**
   * Writes export {@code name} as {@code head} followed by the whole of blob {@code source} of this
   * container ({@code length} bytes), copied by storage (Put Block From URL, the source read through
   * a short-lived read-only link) so its bytes never pass through this process; unless it exists or
   * another writer is at it. Where storage refuses to copy — 403 for a copy whose head block it had
   * just taken (a copy source behind the account's firewall or private endpoints:
   * Azure/azure-storage-azcopy#755, #3057), or 501 — {@code instead} writes the export as {@link
   * #write} would, and so it does for this process's exports for {@link #COPYING_REFUSED_FOR}.
   * A copy that fails otherwise (its source gone) fails the export, saying so without the link.
   *
   * @return the bytes written, or empty when this call wrote nothing
   */
  public OptionalLong writeCopying(String name, BlobHttpHeaders headers, byte[] head, String source, long length,
      Consumer<OutputStream> instead) {
    return underMarker(name, ensureHeld -> {
      Instant refusedUntil = copyingRefusedUntil.get();
      if (refusedUntil == null || !clock.instant().isBefore(refusedUntil)) {
        try {
          BlobClient from = container.getBlobClient(source);
          return staged(name, headers, out -> {
            out.write(head, 0, head.length);
            out.append(source, () -> readLink(from), length, copiedBlock);
          }, ensureHeld);
        } catch (CopyFailedException e) {
          if (!e.refused()) {
            throw e;
          }
          copyingRefusedUntil.set(clock.instant().plus(COPYING_REFUSED_FOR));
          LOG.warning(() -> e.getMessage() + ": this export, and those of the next " + COPYING_REFUSED_FOR.toMinutes()
              + " minutes, pass through this process instead");
        }
      }
      return staged(name, headers, instead::accept, ensureHeld);
    });
  }

  /**
   * Storage could not copy a blob into an export. The message names the blob, the status and the
   * error code, never the service's text: that could echo the copy source's header, link and all.
   */
  static final class CopyFailedException extends RuntimeException {
    private final boolean refused;

    CopyFailedException(String source, BlobStorageException e) {
      super("storage could not copy " + source + " into the export: " + e.getStatusCode() + " " + e.getErrorCode());
      this.refused = e.getStatusCode() == 403 || e.getStatusCode() == 501;
    }

    /** Whether storage refuses copies (as opposed to failing this one). */
    boolean refused() {
      return refused;
    }
  }

  /** Runs {@code writing} under the export's marker lease, unless the export exists or another writer is at it. */
  private OptionalLong underMarker(String name, ToLongFunction<Runnable> writing) {
    if (properties(container.getBlobClient(name)).isPresent()) {
      return OptionalLong.empty();
    }
    String marker = name + ".writing";
    Optional<RenewedLease> lease = takeMarker(marker);
    if (lease.isEmpty()) {
      LOG.info(() -> "export " + name + " is being written by another worker");
      return OptionalLong.empty();
    }
    try {
      long bytes = writing.applyAsLong(() -> ensureHeld(lease.get()));
      container.getBlobClient(name + ".failed").deleteIfExists();
      return OptionalLong.of(bytes);
    } finally {
      lease.get().close();
      try {
        blobs.delete(marker); // refused if another writer leased it meanwhile
      } catch (IOException e) {
        LOG.warning(() -> "could not remove the export marker " + marker + ": " + e.getMessage());
      }
    }
  }

  /** Stages what {@code content} writes (and copies) into export {@code name} and commits it. */
  private long staged(String name, BlobHttpHeaders headers, Consumer<StagedBlocks> content, Runnable ensureHeld) {
    StagedBlocks out = new StagedBlocks(container.getBlobClient(name).getBlockBlobClient(), ensureHeld);
    try {
      content.accept(out);
      out.commit(headers);
      return out.bytes();
    } finally {
      out.stopUploads();
    }
  }

  /** A read-only link to {@code blob} that works for {@link #LINK_LIFETIME}. */
  private String readLink(BlobClient blob) {
    OffsetDateTime expiry = OffsetDateTime.ofInstant(clock.instant().plus(LINK_LIFETIME), ZoneOffset.UTC);
    return blob.getBlobUrl() + "?" + signer.apply(blob, expiry);
  }

  /** Creates the marker and leases it; empty when another writer holds it. */
  private Optional<RenewedLease> takeMarker(String marker) {
    try {
      blobs.write(marker, new byte[0], Blobs.Condition.NONE, null);
      return Optional.of(RenewedLease.acquire(blobs, marker, Duration.ofSeconds(LEASE_SECONDS), renewEvery,
          RenewedLease.RENEWALS, clock));
    } catch (LeaseLostException e) {
      return Optional.empty(); // leased: another writer is at it
    } catch (IOException e) {
      throw new UnavailableException("cannot take the export marker " + marker + ": " + e.getMessage(), e);
    }
  }

  /** Fails once the writer's lease on the marker is lost: another writer may be at the same export. */
  private static void ensureHeld(RenewedLease lease) {
    lease.lost().ifPresent(lost -> {
      throw new UnavailableException(lost.getMessage() + "; stopped before relying on it");
    });
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
   * A block blob written block by block, or copied from another blob by storage ({@link #append}),
   * and made visible only by {@link #commit}: closing without
   * committing leaves nothing but uncommitted blocks, which the service discards. Each full block
   * is staged in the background while the next is filled, {@value #UPLOADS_IN_FLIGHT} at most
   * ({@value #BLOCK_SIZE} bytes each, plus the one being filled, held at most). Each block and the
   * commit first check that the writer still holds its lease: one that lost it stops, since another
   * writer may be at the same export; blocks already on their way are waited for before it says so.
   */
  private static final class StagedBlocks extends OutputStream {
    private final BlockBlobClient blob;
    private final Runnable ensureHeld;
    private final ExecutorService uploads = Executors.newFixedThreadPool(UPLOADS_IN_FLIGHT, runnable -> {
      Thread thread = new Thread(runnable, "export-upload");
      thread.setDaemon(true);
      return thread;
    });
    private final Deque<Staging> inFlight = new ArrayDeque<>();
    private final Deque<byte[]> spare = new ArrayDeque<>();
    private final List<String> blockIds = new ArrayList<>();
    private final String attempt = String.format("%016x", ThreadLocalRandom.current().nextLong());
    private byte[] buffer = new byte[BLOCK_SIZE];
    private int filled;
    private long bytes;

    /** A block on its way, and the buffer it is sent from (reused once it arrived; none for a copied block). */
    private record Staging(Future<?> upload, byte[] buffer) {}

    StagedBlocks(BlockBlobClient blob, Runnable ensureHeld) {
      this.blob = blob;
      this.ensureHeld = ensureHeld;
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

    /**
     * Appends {@code length} bytes of blob {@code source}, which {@code sourceUrl} links to, copied
     * by storage in blocks of at most {@code blockSize}, after what was written so far (staged
     * first, as a block of its own). A block storage does not copy fails as {@link
     * CopyFailedException}.
     */
    void append(String source, Supplier<String> sourceUrl, long length, long blockSize) {
      if (filled > 0) {
        stage();
      }
      for (long offset = 0; offset < length; offset += blockSize) {
        ensureHeld.run();
        if (inFlight.size() == UPLOADS_IN_FLIGHT) {
          arrived();
        }
        String id = nextBlockId();
        BlobRange range = new BlobRange(offset, Math.min(blockSize, length - offset));
        String url = sourceUrl.get();
        inFlight.add(new Staging(uploads.submit(() -> {
          try {
            blob.stageBlockFromUrl(id, url, range);
          } catch (BlobStorageException e) {
            throw new CopyFailedException(source, e);
          }
        }), null));
        bytes += range.getCount();
      }
    }

    void commit(BlobHttpHeaders headers) {
      stage();
      while (!inFlight.isEmpty()) {
        arrived();
      }
      ensureHeld.run();
      blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds).setHeaders(headers),
          null, Context.NONE);
    }

    long bytes() {
      return bytes;
    }

    /** Stops the uploads: after {@link #commit} there are none; after a failure, those on their way end first. */
    void stopUploads() {
      uploads.shutdown();
      try {
        uploads.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void stage() {
      if (filled == 0 && !blockIds.isEmpty()) {
        return;
      }
      ensureHeld.run();
      if (inFlight.size() == UPLOADS_IN_FLIGHT) {
        arrived();
      }
      String id = nextBlockId();
      byte[] block = buffer;
      int length = filled;
      inFlight.add(new Staging(uploads.submit(() -> blob.stageBlock(id, new ByteArrayInputStream(block, 0, length),
          length)), block));
      bytes += length;
      filled = 0;
      buffer = spare.isEmpty() ? new byte[BLOCK_SIZE] : spare.pop();
    }

    /**
     * The id of the block staged next, added to the list committed: this writer's own random prefix,
     * then the block's number, so a block still on its way from an earlier attempt at the same blob
     * (a writer that died, or a copy given up for streaming) never takes the place of one of ours.
     */
    private String nextBlockId() {
      String id = Base64.getEncoder().encodeToString(
          String.format("%s-%010d", attempt, blockIds.size()).getBytes(StandardCharsets.US_ASCII));
      blockIds.add(id);
      return id;
    }

    /** Waits for the oldest block on its way; its failure is this writer's. */
    private void arrived() {
      Staging oldest = inFlight.removeFirst();
      try {
        oldest.upload().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while staging export blocks", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw new IllegalStateException(e.getCause());
      }
      if (oldest.buffer() != null) {
        spare.push(oldest.buffer());
      }
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
