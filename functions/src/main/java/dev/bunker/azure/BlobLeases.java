package dev.bunker.azure;

import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.port.Leases;
import dev.bunker.store.blob.BlobNotFoundException;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.ConditionFailedException;
import dev.bunker.store.blob.LeaseLostException;
import dev.bunker.store.blob.RenewedLease;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link Leases} as {@link RenewedLease}s on empty lock blobs in the backup container: a lease
 * lasts {@value #LEASE_SECONDS} seconds and is renewed while held, so a holder that dies frees it
 * within a minute; a holder whose lease is lost learns it at its next {@link Held#ensureHeld()}.
 */
public final class BlobLeases implements Leases {
  private static final int LEASE_SECONDS = 60;

  private final Blobs blobs;
  private final Clock clock;
  private final Duration renewEvery;

  public BlobLeases(Blobs blobs, Clock clock) {
    this(blobs, clock, Duration.ofSeconds(LEASE_SECONDS / 3));
  }

  /** Leases renewed every {@code renewEvery} (tests: to see a lost lease quickly). */
  BlobLeases(Blobs blobs, Clock clock, Duration renewEvery) {
    this.blobs = blobs;
    this.clock = clock;
    this.renewEvery = renewEvery;
  }

  @Override
  public Optional<Held> take(String name) {
    try {
      RenewedLease lease = leaseCreatingItsBlob(name);
      return Optional.of(new Held() {
        @Override
        public void ensureHeld() {
          lease.lost().ifPresent(lost -> {
            throw new UnavailableException(lost.getMessage() + "; stopped before relying on it");
          });
        }

        @Override
        public void close() {
          lease.close();
        }
      });
    } catch (LeaseLostException heldElsewhere) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UnavailableException("cannot take the lease " + name + ": " + e.getMessage(), e);
    }
  }

  /** The lease on lock blob {@code name}, made by its first taker only: one request less for every later one. */
  private RenewedLease leaseCreatingItsBlob(String name) throws IOException {
    try {
      return lease(name);
    } catch (BlobNotFoundException missing) {
      try {
        blobs.write(name, new byte[0], Blobs.Condition.ABSENT, null);
      } catch (ConditionFailedException | LeaseLostException createdMeanwhile) {
        // by a racing caller: lease it below
      }
      return lease(name);
    }
  }

  private RenewedLease lease(String name) throws IOException {
    return RenewedLease.acquire(blobs, name, Duration.ofSeconds(LEASE_SECONDS), renewEvery, RenewedLease.RENEWALS,
        clock);
  }

  @Override
  public boolean anyHeld(String prefix) {
    try {
      return blobs.list(prefix).stream().anyMatch(Blobs.BlobInfo::leased);
    } catch (IOException e) {
      throw new UnavailableException("cannot list the leases " + prefix + "*: " + e.getMessage(), e);
    }
  }
}
