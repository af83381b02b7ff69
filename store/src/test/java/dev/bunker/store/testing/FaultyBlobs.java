package dev.bunker.store.testing;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.LeaseLostException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blobs that fail on purpose, around a real implementation: a crash before the n-th change
 * (after which every call fails, as if the process died), an action run just before a chosen
 * manifest write (another writer, a lease broken), block uploads held at a gate (so that exactly
 * the blocks in flight have passed their lease check), slow reads, transiently failing lease
 * renewals. Also counts lease renewals and uploaded block bytes.
 */
public final class FaultyBlobs implements Blobs {
  /** Runs before a manifest write; gets the lease id the write carries. */
  public interface BeforeManifestWrite {
    void run(String leaseId) throws IOException;
  }

  private final Blobs delegate;
  private final AtomicInteger changes = new AtomicInteger();
  private final AtomicInteger manifestWrites = new AtomicInteger();
  private final AtomicInteger renewals = new AtomicInteger();
  private volatile int crashBeforeChange = Integer.MAX_VALUE;
  private volatile boolean crashed;
  private volatile Duration readDelay = Duration.ZERO;
  private volatile String unansweredSuffix;
  private volatile int hookAtManifestWrite;
  private volatile BeforeManifestWrite hook;
  private final AtomicInteger unleasedManifestWrites = new AtomicInteger();
  private volatile int hookAtUnleasedManifestWrite;
  private volatile BeforeManifestWrite unleasedHook;
  private final AtomicInteger manifestLeases = new AtomicInteger();
  private volatile int hookAtManifestLease;
  private volatile BeforeManifestWrite leaseHook;
  private final AtomicLong blockBytes = new AtomicLong();
  private final AtomicInteger refusedRenewals = new AtomicInteger();
  private final AtomicInteger renewalsToFail = new AtomicInteger();
  private final AtomicInteger failedRenewals = new AtomicInteger();
  private volatile int holdFromBlock = Integer.MAX_VALUE;
  private final AtomicInteger heldBlocks = new AtomicInteger();
  private final CountDownLatch blockGate = new CountDownLatch(1);

  private FaultyBlobs(Blobs delegate) {
    this.delegate = delegate;
  }

  public static FaultyBlobs around(Blobs delegate) {
    return new FaultyBlobs(delegate);
  }

  /** Lets {@code n} changes (writes, blocks, deletes, lease calls) through, then dies. */
  public FaultyBlobs crashAfterChanges(int n) {
    crashBeforeChange = n + 1;
    return this;
  }

  /** Runs {@code action} once, just before the {@code n}-th write of a manifest (1-based). */
  public FaultyBlobs beforeManifestWrite(int n, BeforeManifestWrite action) {
    hookAtManifestWrite = n;
    hook = action;
    return this;
  }

  /**
   * Runs {@code action} once, just before the {@code n}-th replace of a manifest without a lease
   * (1-based; conditional on the version read, as a backup with only refs to write makes it).
   */
  public FaultyBlobs beforeManifestWriteWithoutLease(int n, BeforeManifestWrite action) {
    hookAtUnleasedManifestWrite = n;
    unleasedHook = action;
    return this;
  }

  /** Runs {@code action} once, just before the {@code n}-th lease taken on a manifest (1-based). */
  public FaultyBlobs beforeManifestLease(int n, BeforeManifestWrite action) {
    hookAtManifestLease = n;
    leaseHook = action;
    return this;
  }

  /**
   * Holds the upload of the {@code n}-th block of any file (1-based, its place in the file) and of
   * every later block, as started requests that storage has not answered yet, until {@link
   * #releaseBlocks()}. By place, not by arrival: uploads run on several threads, and a later block
   * can reach storage before an earlier one.
   */
  public FaultyBlobs holdBlocksFrom(int n) {
    holdFromBlock = n;
    return this;
  }

  /** Block uploads waiting at the gate of {@link #holdBlocksFrom(int)}. */
  public int heldBlocks() {
    return heldBlocks.get();
  }

  /** Lets the held block uploads, and every later one, through. */
  public void releaseBlocks() {
    blockGate.countDown();
  }

  /** The next {@code n} lease renewals fail as a slow or dropped request would (not a lost lease). */
  public FaultyBlobs failRenewals(int n) {
    renewalsToFail.addAndGet(n);
    return this;
  }

  /** Ranged reads of blobs whose name ends with {@code suffix} fail as a timed-out request would. */
  public FaultyBlobs unansweredRangedReads(String suffix) {
    unansweredSuffix = suffix;
    return this;
  }

  public FaultyBlobs slowReads(Duration delay) {
    readDelay = delay;
    return this;
  }

  /** Changes attempted so far (including the one that crashed). */
  public int changes() {
    return changes.get();
  }

  /** Lease renewals that storage accepted so far. */
  public int renewals() {
    return renewals.get();
  }

  /** Lease renewals that storage refused (the lease was lost). */
  public int refusedRenewals() {
    return refusedRenewals.get();
  }

  /** Lease renewals failed on purpose by {@link #failRenewals(int)}. */
  public int failedRenewals() {
    return failedRenewals.get();
  }

  /** Bytes of every block upload started so far (counted as it starts). */
  public long blockBytes() {
    return blockBytes.get();
  }

  public boolean crashed() {
    return crashed;
  }

  private void change() throws IOException {
    alive();
    if (changes.incrementAndGet() >= crashBeforeChange) {
      crashed = true;
      throw new IOException("injected crash before change " + changes.get());
    }
  }

  private void alive() throws IOException {
    if (crashed) {
      throw new IOException("injected crash: process is gone");
    }
  }

  private void read() throws IOException {
    alive();
    if (!readDelay.isZero()) {
      try {
        Thread.sleep(readDelay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }

  @Override
  public Optional<Blob> read(String name) throws IOException {
    read();
    return delegate.read(name);
  }

  @Override
  public int read(String name, long offset, ByteBuffer dst) throws IOException {
    read();
    String suffix = unansweredSuffix;
    if (suffix != null && name.endsWith(suffix)) {
      throw new IOException("injected: storage did not answer in time");
    }
    return delegate.read(name, offset, dst);
  }

  @Override
  public String write(String name, byte[] data, Condition condition, String leaseId)
      throws IOException {
    change();
    if (name.endsWith("/manifest.json") && leaseId != null
        && manifestWrites.incrementAndGet() == hookAtManifestWrite && hook != null) {
      hook.run(leaseId);
    }
    if (name.endsWith("/manifest.json") && leaseId == null && condition instanceof Condition.Matching
        && unleasedManifestWrites.incrementAndGet() == hookAtUnleasedManifestWrite && unleasedHook != null) {
      unleasedHook.run(null);
    }
    return delegate.write(name, data, condition, leaseId);
  }

  /** The store names a file's blocks {@code block-00000000}, {@code block-00000001}, … in Base64. */
  private static int placeInFile(String blockId) {
    String name = new String(Base64.getDecoder().decode(blockId), StandardCharsets.US_ASCII);
    return Integer.parseInt(name.substring("block-".length())) + 1;
  }

  @Override
  public void stageBlock(String name, String blockId, byte[] data, int length)
      throws IOException {
    change();
    blockBytes.addAndGet(length);
    if (holdFromBlock != Integer.MAX_VALUE && placeInFile(blockId) >= holdFromBlock) {
      heldBlocks.incrementAndGet();
      try {
        blockGate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted at the block gate");
      }
    }
    delegate.stageBlock(name, blockId, data, length);
  }

  @Override
  public void commitBlocks(String name, List<String> blockIds, Condition condition)
      throws IOException {
    change();
    delegate.commitBlocks(name, blockIds, condition);
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    read();
    return delegate.list(prefix);
  }

  @Override
  public boolean delete(String name) throws IOException {
    change();
    return delegate.delete(name);
  }

  @Override
  public String acquireLease(String name, Duration duration, Condition condition) throws IOException {
    change();
    if (name.endsWith("/manifest.json") && manifestLeases.incrementAndGet() == hookAtManifestLease
        && leaseHook != null) {
      leaseHook.run(null);
    }
    return delegate.acquireLease(name, duration, condition);
  }

  @Override
  public void renewLease(String name, String leaseId) throws IOException {
    change();
    if (renewalsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failedRenewals.incrementAndGet();
      throw new IOException("injected transient failure of a lease renewal");
    }
    try {
      delegate.renewLease(name, leaseId);
    } catch (LeaseLostException e) {
      refusedRenewals.incrementAndGet();
      throw e;
    }
    renewals.incrementAndGet();
  }

  @Override
  public void releaseLease(String name, String leaseId) throws IOException {
    change();
    delegate.releaseLease(name, leaseId);
  }
}
