package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.ConditionFailedException;
import dev.bunker.store.blob.LeaseLostException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one-writer-at-a-time lease of a repository: a blob lease on its manifest, renewed in the
 * background while the writer works. Every manifest write carries the lease id, so a writer whose
 * lease lapsed (a long pause) cannot overwrite the work of the writer that took over: storage
 * refuses the write. The manifest's ETag check applies on top.
 *
 * <p>A writer also stops as soon as it knows the lease is gone (a renewal refused, or failing
 * until the lease lapsed): its uploads check {@link #ensureHeld()}, so a large backup does not go
 * on uploading a pack that can never be committed.
 */
final class WriterLease implements AutoCloseable {
  private final StoreContext context;
  private final String key;
  private final String manifest;
  private final String id;
  private final ScheduledFuture<?> renewal;
  private volatile Instant lastRenewed;
  private volatile IOException lost;

  private WriterLease(StoreContext context, String key, String manifest, String id,
      Instant taken) {
    this.context = context;
    this.key = key;
    this.manifest = manifest;
    this.id = id;
    this.lastRenewed = taken;
    long every = context.options().leaseRenewal().toMillis();
    this.renewal = context.leaseRenewals()
        .scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease on {@code manifest}, creating an empty manifest first for a new repository,
   * waiting up to the configured time while another writer holds it.
   */
  static WriterLease acquire(StoreContext context, String key, String manifest) {
    Blobs blobs = context.blobs();
    GitStore.Options options = context.options();
    long deadline = System.nanoTime() + options.leaseWait().toNanos();
    long pause = 50;
    while (true) {
      try {
        try {
          blobs.write(manifest, Manifest.EMPTY.toJson(), Blobs.Condition.ABSENT, null);
        } catch (ConditionFailedException | LeaseLostException alreadyThere) {
          // An existing repository: nothing to create.
        }
        Instant taken = context.clock().instant();
        return new WriterLease(context, key, manifest,
            blobs.acquireLease(manifest, options.leaseDuration()), taken);
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a repository lease", e);
    }
  }

  String id() {
    return id;
  }

  /**
   * Fails with {@link ConcurrentWriteException} once the lease is known lost; writers call it
   * before each upload so they stop promptly instead of at their next manifest write.
   */
  void ensureHeld() {
    IOException cause = lost;
    if (cause != null) {
      throw lostError(key, cause);
    }
  }

  /** The error of a writer that lost this lease, naming the repository. */
  static ConcurrentWriteException lostError(String key, IOException cause) {
    return new ConcurrentWriteException("repository " + key + ": lost the writer lease on"
        + " manifest.json (it lapsed or was broken, or another writer took over); nothing of this"
        + " change became visible", cause);
  }

  private void renew() {
    if (lost != null) {
      return;
    }
    Instant asked = context.clock().instant(); // the renewed lease runs from no later than this
    try {
      context.blobs().renewLease(manifest, id);
      lastRenewed = asked;
    } catch (LeaseLostException e) {
      lost = e;
    } catch (IOException | RuntimeException e) {
      // A transient failure: the next renewal retries, unless the lease has lapsed meanwhile.
      Duration since = Duration.between(lastRenewed, context.clock().instant());
      if (since.compareTo(context.options().leaseDuration()) >= 0) {
        lost = e instanceof IOException io ? io
            : new IOException("lease renewal failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    renewal.cancel(false);
    try {
      context.blobs().releaseLease(manifest, id);
    } catch (IOException e) {
      // The lease expires by itself within its duration.
    }
  }
}
