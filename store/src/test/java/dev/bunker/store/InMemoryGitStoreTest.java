package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.testing.ManualClock;

class InMemoryGitStoreTest extends GitStoreContract {
  @Override
  Blobs newBlobs(ManualClock clock) {
    return new InMemoryBlobs(clock);
  }
}
