package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.ConditionFailedException;
import dev.bunker.store.blob.LeaseLostException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one-writer-at-a-time lease of a repository: a blob lease on its manifest, renewed in the
 * background while the writer works. Every manifest write carries the lease id, so a writer whose
 * lease lapsed (a long pause) cannot overwrite the work of the writer that took over: storage
 * refuses the write. The manifest's ETag check applies on top.
 */
final class WriterLease implements AutoCloseable {
  private final Blobs blobs;
  private final String manifest;
  private final String id;
  private final ScheduledFuture<?> renewal;

  private WriterLease(StoreContext context, String manifest, String id) {
    this.blobs = context.blobs();
    this.manifest = manifest;
    this.id = id;
    long every = Math.max(1, context.options().leaseDuration().toMillis() / 3);
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
        return new WriterLease(context, manifest,
            blobs.acquireLease(manifest, options.leaseDuration()));
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

  private void renew() {
    try {
      blobs.renewLease(manifest, id);
    } catch (IOException e) {
      // Nothing to do here: the next manifest write fails on its own, as storage checks the lease.
    }
  }

  @Override
  public void close() {
    renewal.cancel(false);
    try {
      blobs.releaseLease(manifest, id);
    } catch (IOException e) {
      // The lease expires by itself within its duration.
    }
  }
}
