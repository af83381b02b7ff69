package dev.bunker.store.blob;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease on a blob, renewed in the background while its holder works: the one lease mechanism
 * of the process (a repository's writer lease, the collector and writer locks, export markers).
 * A renewal refused by storage (the lease was broken, taken over, or its blob deleted), or
 * renewals failing until the lease has lapsed, make it lost; the holder asks {@link #lost()} (or
 * {@link #ensureHeld()}) before each step that relies on holding it, and stops instead of
 * finishing work that another holder may now be undoing.
 */
public final class RenewedLease implements AutoCloseable {
  /** The process-wide thread that renews leases (each renewal is one short request). */
  public static final ScheduledExecutorService RENEWALS =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bunker-lease-renewal");
        thread.setDaemon(true);
        return thread;
      });

  private final Blobs blobs;
  private final String name;
  private final String id;
  private final Duration duration;
  private final Clock clock;
  private final ScheduledFuture<?> renewal;
  private volatile Instant lastRenewed;
  private volatile IOException refused;
  private volatile IOException lastFailure;

  private RenewedLease(Blobs blobs, String name, String id, Duration duration, Duration every,
      ScheduledExecutorService renewals, Clock clock, Instant taken) {
    this.blobs = blobs;
    this.name = name;
    this.id = id;
    this.duration = duration;
    this.clock = clock;
    this.lastRenewed = taken;
    long millis = every.toMillis();
    this.renewal = renewals.scheduleWithFixedDelay(this::renew, millis, millis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease on existing blob {@code name} for {@code duration} and renews it every
   * {@code every} on {@code renewals}.
   *
   * @throws LeaseLostException when someone else holds it
   * @throws BlobNotFoundException when the blob does not exist
   */
  public static RenewedLease acquire(Blobs blobs, String name, Duration duration, Duration every,
      ScheduledExecutorService renewals, Clock clock) throws IOException {
    return acquire(blobs, name, Blobs.Condition.NONE, duration, every, renewals, clock);
  }

  /**
   * As {@link #acquire(Blobs, String, Duration, Duration, ScheduledExecutorService, Clock)}, only
   * while the blob meets {@code condition} ({@link Blobs#acquireLease(String, Duration,
   * Blobs.Condition)}).
   *
   * @throws ConditionFailedException when it does not
   */
  public static RenewedLease acquire(Blobs blobs, String name, Blobs.Condition condition,
      Duration duration, Duration every, ScheduledExecutorService renewals, Clock clock)
      throws IOException {
    Instant taken = clock.instant(); // the lease runs from no earlier than this
    String id = blobs.acquireLease(name, duration, condition);
    return new RenewedLease(blobs, name, id, duration, every, renewals, clock, taken);
  }

  /** The lease id, which writes of the leased blob carry. */
  public String id() {
    return id;
  }

  /**
   * Why the lease is known lost: storage refused a renewal, or it went unrenewed as long as it
   * lasts. Empty while it is held as far as this process knows.
   */
  public Optional<LeaseLostException> lost() {
    IOException cause = refused;
    if (cause != null) {
      return Optional.of(new LeaseLostException("lost the lease on " + name
          + " (storage refused its renewal: " + cause.getMessage() + ")", cause));
    }
    if (Duration.between(lastRenewed, clock.instant()).compareTo(duration) >= 0) {
      return Optional.of(new LeaseLostException("lost the lease on " + name
          + " (not renewed for as long as it lasts)", lastFailure));
    }
    return Optional.empty();
  }

  /** Fails once the lease is known {@link #lost()}. */
  public void ensureHeld() throws LeaseLostException {
    Optional<LeaseLostException> lost = lost();
    if (lost.isPresent()) {
      throw lost.get();
    }
  }

  /** Stops renewing and gives the lease up (a lease that could not be released lapses by itself). */
  @Override
  public void close() {
    stop();
    try {
      blobs.releaseLease(name, id);
    } catch (IOException e) {
      // The lease expires by itself within its duration.
    }
  }

  /** Stops renewing, keeping the lease until it lapses (a holder that deletes the blob with it). */
  public void stop() {
    renewal.cancel(false);
  }

  private void renew() {
    if (refused != null) {
      return;
    }
    Instant asked = clock.instant(); // the renewed lease runs from no later than this
    try {
      blobs.renewLease(name, id);
      lastRenewed = asked;
    } catch (LeaseLostException | BlobNotFoundException | ConditionFailedException e) {
      refused = e;
    } catch (IOException e) {
      lastFailure = e; // transient: the next renewal retries, unless the lease lapses meanwhile
    } catch (RuntimeException e) {
      lastFailure = new IOException("lease renewal failed: " + e.getMessage(), e);
    }
  }
}
