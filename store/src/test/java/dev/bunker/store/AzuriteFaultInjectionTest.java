package dev.bunker.store;

import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.testing.ManualClock;
import java.util.UUID;

/** Faults injected around the real Azure SDK client talking to Azurite. */
class AzuriteFaultInjectionTest extends FaultInjectionContract {
  @Override
  Blobs newBlobs(ManualClock clock) {
    return new AzureBlobs(AzuriteGitStoreTest.service()
        .createBlobContainer("faults-" + UUID.randomUUID()));
  }

  @Override
  boolean leasesFollowTheTestClock() {
    return false; // Azurite's leases run on its own clock
  }
}
