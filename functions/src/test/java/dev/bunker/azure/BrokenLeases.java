package dev.bunker.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.options.BlobBreakLeaseOptions;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import java.time.Duration;

/** Breaks a blob lease as another party would (an operator, a lease that a takeover broke). */
final class BrokenLeases {
  /** How often leases renew in tests that break them; a renewal sees the break within it. */
  static final Duration RENEW_EVERY = Duration.ofMillis(100);

  private BrokenLeases() {}

  /** Breaks the lease on {@code blob} at once, then waits until its holder's renewal has been refused. */
  static void breakAndAwaitRenewal(BlobClient blob) {
    new BlobLeaseClientBuilder().blobClient(blob).buildClient()
        .breakLeaseWithResponse(new BlobBreakLeaseOptions().setBreakPeriod(Duration.ZERO), null, Context.NONE);
    try {
      Thread.sleep(RENEW_EVERY.multipliedBy(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
