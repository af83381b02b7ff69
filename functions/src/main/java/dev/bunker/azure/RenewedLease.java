package dev.bunker.azure;

import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import dev.bunker.core.model.UnavailableException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A blob lease renewed in the background while its holder works, as the git store's writer lease
 * is: once a renewal is refused (the lease was broken or taken over) or renewals keep failing until
 * the lease has lapsed, the holder is told at its next {@link #ensureHeld()} and stops, instead of
 * finishing work that another holder may now be undoing.
 */
final class RenewedLease {
  private static final Logger LOG = Logger.getLogger(RenewedLease.class.getName());

  private final BlobLeaseClient lease;
  private final String name;
  private final long durationNanos;
  private final ScheduledFuture<?> renewal;
  private volatile long lastRenewed;
  private volatile String lost;

  /** Starts renewing {@code lease} (just acquired for {@code duration}) every {@code every}. */
  RenewedLease(BlobLeaseClient lease, String name, Duration duration, Duration every) {
    this.lease = lease;
    this.name = name;
    this.durationNanos = duration.toNanos();
    this.lastRenewed = System.nanoTime();
    this.renewal = ExportBlobs.RENEWALS.scheduleWithFixedDelay(this::renew, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  String id() {
    return lease.getLeaseId();
  }

  /**
   * Fails with an {@link UnavailableException} (the work may be retried) once the lease is known lost:
   * a renewal was refused (broken, taken over, its blob deleted), or it went unrenewed as long as it lasts.
   */
  void ensureHeld() {
    String reason = lost;
    if (reason == null && System.nanoTime() - lastRenewed >= durationNanos) {
      reason = "not renewed for as long as it lasts";
    }
    if (reason != null) {
      throw new UnavailableException("lost the lease on " + name + " (" + reason + "); stopped before relying on it");
    }
  }

  /** Stops renewing (the holder releases or deletes the leased blob itself). */
  void stop() {
    renewal.cancel(false);
  }

  private void renew() {
    if (lost != null) {
      return;
    }
    long asked = System.nanoTime(); // the renewed lease runs from no later than this
    try {
      lease.renewLease();
      lastRenewed = asked;
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404 || e.getStatusCode() == 409 || e.getStatusCode() == 412) {
        lost = "storage refused its renewal: " + e.getErrorCode();
        LOG.warning(() -> "the lease on " + name + " is lost: " + e.getErrorCode());
      } else {
        failed(e);
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** A transient failure: the next renewal retries, unless the lease has lapsed meanwhile. */
  private void failed(RuntimeException e) {
    LOG.warning(() -> "could not renew the lease on " + name + ": " + e.getMessage());
    if (System.nanoTime() - lastRenewed >= durationNanos) {
      lost = "renewals failed until it lapsed";
    }
  }
}
