package dev.bunker.store;

import com.azure.storage.blob.BlobContainerClient;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * Backed-up git repositories in one blob container (or in memory, for tests): the entry point of
 * the store. Build one per process and share it; {@link #repository(String)} is cheap.
 *
 * <pre>{@code
 * GitStore store = GitStore.onBlobs(containerClient, Clock.systemUTC(), GitStore.Options.defaults());
 * BackupRepository repo = store.repository("orgs/" + orgId + "/repos/" + repoId);
 * Snapshot s = repo.backup(SnapshotId.of(now, runId), new GitSource(url, () -> authHeaders));
 * }</pre>
 */
public final class GitStore implements AutoCloseable {
  private static final Pattern KEY =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

  static {
    Sha1Choice.apply();
  }

  private final StoreContext context;

  private GitStore(Blobs blobs, Clock clock, Options options) {
    ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bunker-store-lease-renewal");
      t.setDaemon(true);
      return t;
    });
    ExecutorService uploads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bunker-store-upload");
      t.setDaemon(true);
      return t;
    });
    this.context = new StoreContext(UUID.randomUUID().toString(), blobs, clock, options,
        renewals, uploads, new FetchedLfsPointers());
  }

  /** A store in process memory, with the same semantics as the blob store (tests, experiments). */
  public static GitStore inMemory(Clock clock) {
    return on(new InMemoryBlobs(clock), clock, Options.defaults());
  }

  /** A store in an Azure Blob container (which must exist). */
  public static GitStore onBlobs(BlobContainerClient container, Clock clock, Options options) {
    return on(new AzureBlobs(container), clock, options);
  }

  /** A store over any {@link Blobs} implementation (e.g. a fault-injecting test decorator). */
  public static GitStore on(Blobs blobs, Clock clock, Options options) {
    return new GitStore(blobs, clock, options);
  }

  /**
   * The repository stored under {@code key}, a blob prefix such as
   * {@code orgs/<orgId>/repos/<repoId>} (letters, digits, {@code . _ -}, separated by {@code /}).
   * A repository with no backup yet has no snapshots.
   */
  public BackupRepository repository(String key) {
    if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("repository key must be path segments of letters,"
          + " digits, '.', '_' or '-' separated by '/', got " + key);
    }
    return new DfsBackupRepository(context, key);
  }

  /** Keys of every repository under {@code prefix} (e.g. {@code orgs/<orgId>/}), sorted. */
  public List<String> repositories(String prefix) {
    try {
      return context.blobs().list(prefix).stream()
          .map(Blobs.BlobInfo::name)
          .filter(n -> n.endsWith("/manifest.json"))
          .map(n -> n.substring(0, n.length() - "/manifest.json".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new StoreException("cannot list repositories under " + prefix + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    context.leaseRenewals().shutdownNow();
    context.uploads().shutdown();
  }

  /**
   * Tuning of a store.
   *
   * @param leaseDuration how long a writer lease lasts between renewals (Azure: 15 to 60 s)
   * @param leaseRenewal how often a writer renews its lease; well below the duration, so a
   *     renewal or two may fail (a slow request) without the lease lapsing
   * @param leaseWait how long a writer waits for another writer's lease before giving up
   * @param writeBlockSize bytes per uploaded block
   * @param uploadsInFlight blocks of one file uploading at once while JGit writes on; a file
   *     being written keeps at most this many blocks plus one in memory
   * @param readBlockSize bytes per ranged read of a pack (the block cache's unit for our files)
   * @param maxReadAhead the largest ranged read sequential reading grows to
   * @param transferTimeout how long a fetch or a push waits for the remote to connect, and then for
   *     each read to bring something, before it fails (retried by whoever asked): a server that
   *     stops sending would otherwise hold the backup, and its writer lease, until the function
   *     times out
   */
  public record Options(Duration leaseDuration, Duration leaseRenewal, Duration leaseWait,
      int writeBlockSize, int uploadsInFlight, int readBlockSize, int maxReadAhead,
      Duration transferTimeout) {
    public Options {
      if (leaseDuration.toSeconds() < 15 || leaseDuration.toSeconds() > 60) {
        throw new IllegalArgumentException("lease duration must be 15 to 60 seconds");
      }
      if (leaseRenewal.toMillis() < 1 || leaseRenewal.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException("lease renewal interval must be positive and shorter"
            + " than the lease duration, got " + leaseRenewal);
      }
      if (writeBlockSize < 64 * 1024 || readBlockSize < 4096 || maxReadAhead < readBlockSize) {
        throw new IllegalArgumentException("block sizes too small: write " + writeBlockSize
            + ", read " + readBlockSize + ", read-ahead " + maxReadAhead);
      }
      if (uploadsInFlight < 1) {
        throw new IllegalArgumentException("uploadsInFlight must be at least 1");
      }
      if (transferTimeout.toSeconds() < 1) {
        throw new IllegalArgumentException("the transfer timeout must be at least a second, got "
            + transferTimeout);
      }
    }

    /**
     * 60 s leases renewed every 20 s, 2 min wait, 4 MiB upload blocks 3 at a time, 256 KiB reads
     * growing to 4 MiB, 10 min for a remote to answer. Reads are larger than JGit's usual 64 KiB: a
     * blob GET costs latency more than bytes, and repacking copies objects out of order, which
     * read-ahead cannot predict. The transfer timeout leaves a server minutes to prepare a large
     * pack before its first byte, and stays well inside the 30 min function timeout.
     */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofMinutes(2),
          4 << 20, 3, 256 << 10, 4 << 20, Duration.ofMinutes(10));
    }

    public Options withLease(Duration duration, Duration renewEvery) {
      return new Options(duration, renewEvery, leaseWait, writeBlockSize, uploadsInFlight,
          readBlockSize, maxReadAhead, transferTimeout);
    }

    public Options withLeaseWait(Duration wait) {
      return new Options(leaseDuration, leaseRenewal, wait, writeBlockSize, uploadsInFlight,
          readBlockSize, maxReadAhead, transferTimeout);
    }

    public Options withWriteBlockSize(int bytes) {
      return new Options(leaseDuration, leaseRenewal, leaseWait, bytes, uploadsInFlight,
          readBlockSize, maxReadAhead, transferTimeout);
    }

    public Options withTransferTimeout(Duration timeout) {
      return new Options(leaseDuration, leaseRenewal, leaseWait, writeBlockSize, uploadsInFlight,
          readBlockSize, maxReadAhead, timeout);
    }
  }
}
