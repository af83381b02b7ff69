package dev.bunker.store.blob;

import dev.bunker.testing.ManualClock;

class InMemoryBlobsTest extends BlobsContract {
  @Override
  protected Blobs newBlobs(ManualClock clock) {
    return new InMemoryBlobs(clock);
  }

  @Override
  protected boolean leasesFollowTheManualClock() {
    return true;
  }
}
