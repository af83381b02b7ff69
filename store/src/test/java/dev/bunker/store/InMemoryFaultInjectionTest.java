package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;

class InMemoryFaultInjectionTest extends FaultInjectionContract {
  @Override
  Blobs newBlobs(ManualClock clock) {
    return new InMemoryBlobs(clock);
  }

  @Override
  boolean leasesFollowTheManualClock() {
    return true;
  }

  @Override
  void letLeaseTimePass(Duration time) {
    clock.advance(time);
  }

  /** In memory, a lease that lapsed and that another client took and gave up again: the
   * writer's lease id is dead, as after a break. */
  @Override
  void breakLease(String blob) throws IOException {
    clock.advance(Duration.ofMinutes(2));
    blobs.releaseLease(blob, blobs.acquireLease(blob, Duration.ofSeconds(15)));
  }
}
