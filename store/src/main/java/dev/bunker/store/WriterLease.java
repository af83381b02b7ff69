package dev.bunker.store;

import dev.bunker.store.blob.BlobNotFoundException;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.Blobs.Condition;
import dev.bunker.store.blob.ConditionFailedException;
import dev.bunker.store.blob.LeaseLostException;
import dev.bunker.store.blob.RenewedLease;
import java.io.IOException;
import java.util.Optional;

/**
 * The one-writer-at-a-time lease of a repository: a {@link RenewedLease} on its manifest. Every
 * manifest write carries the lease id, so a writer whose lease lapsed (a long pause) cannot
 * overwrite the work of the writer that took over: storage refuses the write. The manifest's ETag
 * check applies on top.
 *
 * <p>A writer also stops as soon as it knows the lease is gone (a renewal refused, or failing
 * until the lease lapsed): its uploads check {@link #ensureHeld()}, so a large backup does not go
 * on uploading a pack that can never be committed.
 */
final class WriterLease implements AutoCloseable {
  private final String key;
  private final RenewedLease lease;

  private WriterLease(String key, RenewedLease lease) {
    this.key = key;
    this.lease = lease;
  }

  /**
   * Takes the lease on {@code manifest}, creating an empty manifest first for a new repository,
   * waiting up to the configured time while another writer holds it.
   */
  static WriterLease acquire(StoreContext context, String key, String manifest) {
    Blobs blobs = context.blobs();
    return whenFree(context, key, () -> {
      try {
        return lease(context, key, manifest, Condition.NONE);
      } catch (BlobNotFoundException newRepository) {
        // created only when missing: one request less for every backup of an existing repository
        try {
          blobs.write(manifest, Manifest.EMPTY.toJson(), Condition.ABSENT, null);
        } catch (ConditionFailedException | LeaseLostException createdMeanwhile) {
          // by a racing writer: lease it below
        }
        return lease(context, key, manifest, Condition.NONE);
      }
    });
  }

  /**
   * Takes the lease on {@code manifest} only while it is still version {@code etag}, waiting as
   * {@link #acquire} does while another writer holds it: empty once another writer changed (or
   * deleted) it, since what the caller read no longer holds.
   */
  static Optional<WriterLease> acquireOn(StoreContext context, String key, String manifest, String etag) {
    return whenFree(context, key, () -> {
      try {
        return Optional.of(lease(context, key, manifest, Condition.matching(etag)));
      } catch (ConditionFailedException | BlobNotFoundException changed) {
        return Optional.empty();
      }
    });
  }

  private interface Attempt<T> {
    T run() throws IOException;
  }

  private static <T> T whenFree(StoreContext context, String key, Attempt<T> attempt) {
    GitStore.Options options = context.options();
    long deadline = System.nanoTime() + options.leaseWait().toNanos();
    long pause = 50;
    while (true) {
      try {
        return attempt.run();
      } catch (LeaseLostException held) {
        if (System.nanoTime() > deadline) {
          throw new RepositoryBusyException("repository " + key + " is being written by another"
              + " writer (lease on manifest.json held for longer than " + options.leaseWait()
              + ")", held);
        }
        sleep(pause);
        pause = Math.min(pause * 2, 2000);
      } catch (IOException e) {
        throw new StoreException("repository " + key + ": cannot take the writer lease: "
            + e.getMessage(), e);
      }
    }
  }

  private static WriterLease lease(StoreContext context, String key, String manifest, Condition condition)
      throws IOException {
    GitStore.Options options = context.options();
    return new WriterLease(key, RenewedLease.acquire(context.blobs(), manifest, condition,
        options.leaseDuration(), options.leaseRenewal(), context.leaseRenewals(), context.clock()));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a repository lease", e);
    }
  }

  String id() {
    return lease.id();
  }

  /**
   * Fails with {@link ConcurrentWriteException} once the lease is known lost; writers call it
   * before each upload so they stop promptly instead of at their next manifest write.
   */
  void ensureHeld() {
    Optional<LeaseLostException> lost = lease.lost();
    if (lost.isPresent()) {
      throw lostError(key, lost.get());
    }
  }

  /** The error of a writer that lost this lease, naming the repository. */
  static ConcurrentWriteException lostError(String key, IOException cause) {
    return new ConcurrentWriteException("repository " + key + ": lost the writer lease on"
        + " manifest.json (it lapsed or was broken, or another writer took over); nothing of this"
        + " change became visible", cause);
  }

  @Override
  public void close() {
    lease.close();
  }
}
