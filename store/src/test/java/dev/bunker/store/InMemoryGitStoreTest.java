package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.store.testing.TestClock;

class InMemoryGitStoreTest extends GitStoreContract {
  @Override
  Blobs newBlobs(TestClock clock) {
    return new InMemoryBlobs(clock);
  }
}
