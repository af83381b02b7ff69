package dev.bunker.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import dev.bunker.core.port.Leases;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@link Leases} as blob leases on empty lock blobs in the backup container: a lease lasts {@value
 * #LEASE_SECONDS} seconds and is renewed while held, so a holder that dies frees it within a minute;
 * a holder whose lease is lost ({@link RenewedLease}) learns it at its next {@link Held#ensureHeld()}.
 */
public final class BlobLeases implements Leases {
  private static final Logger LOG = Logger.getLogger(BlobLeases.class.getName());
  private static final int LEASE_SECONDS = 60;

  private final BlobContainerClient container;
  private final Duration renewEvery;

  public BlobLeases(BlobContainerClient container) {
    this(container, Duration.ofSeconds(LEASE_SECONDS / 3));
  }

  /** Leases renewed every {@code renewEvery} (tests: to see a lost lease quickly). */
  BlobLeases(BlobContainerClient container, Duration renewEvery) {
    this.container = container;
    this.renewEvery = renewEvery;
  }

  @Override
  public Optional<Held> take(String name) {
    BlobClient blob = container.getBlobClient(name);
    try {
      if (!blob.exists()) {
        blob.upload(BinaryData.fromString(""), false);
      }
    } catch (BlobStorageException e) {
      if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
        throw e; // otherwise created by a racing caller: lease it below
      }
    }
    BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(blob).buildClient();
    try {
      lease.acquireLease(LEASE_SECONDS);
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 409) {
        return Optional.empty();
      }
      throw e;
    }
    RenewedLease renewed = new RenewedLease(lease, name, Duration.ofSeconds(LEASE_SECONDS), renewEvery);
    return Optional.of(new Held() {
      @Override
      public void ensureHeld() {
        renewed.ensureHeld();
      }

      @Override
      public void close() {
        renewed.stop();
        try {
          lease.releaseLease();
        } catch (BlobStorageException e) {
          LOG.warning(() -> "could not release the lease on " + name + ": " + e.getErrorCode());
        }
      }
    });
  }

  @Override
  public boolean anyHeld(String prefix) {
    for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      if (item.getProperties().getLeaseState() == LeaseStateType.LEASED) {
        return true;
      }
    }
    return false;
  }
}
