package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.testing.ManualClock;

class InMemoryFaultInjectionTest extends FaultInjectionContract {
  @Override
  Blobs newBlobs(ManualClock clock) {
    return new InMemoryBlobs(clock);
  }

  @Override
  boolean leasesFollowTheTestClock() {
    return true;
  }
}
