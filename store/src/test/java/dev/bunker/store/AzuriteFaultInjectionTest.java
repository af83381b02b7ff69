package dev.bunker.store;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlobBreakLeaseOptions;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.testing.ManualClock;
import java.time.Duration;
import java.util.UUID;

/** Faults injected around the real Azure SDK client talking to Azurite. */
class AzuriteFaultInjectionTest extends FaultInjectionContract {
  private BlobContainerClient container;

  @Override
  Blobs newBlobs(ManualClock clock) {
    container = AzuriteGitStoreTest.service().createBlobContainer("faults-" + UUID.randomUUID());
    return new AzureBlobs(container);
  }

  @Override
  boolean leasesFollowTheManualClock() {
    return false; // Azurite's leases run on its own clock
  }

  @Override
  void letLeaseTimePass(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  void breakLease(String blob) {
    new BlobLeaseClientBuilder().blobClient(container.getBlobClient(blob)).buildClient()
        .breakLeaseWithResponse(new BlobBreakLeaseOptions().setBreakPeriod(Duration.ZERO), null,
            Context.NONE);
  }
}
