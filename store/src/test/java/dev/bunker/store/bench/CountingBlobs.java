package dev.bunker.store.bench;

import dev.bunker.store.blob.Blobs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Counts requests and bytes moved, around a real blob store. */
final class CountingBlobs implements Blobs {
  final AtomicLong uploaded = new AtomicLong();
  final AtomicLong downloaded = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  private final Blobs delegate;

  CountingBlobs(Blobs delegate) {
    this.delegate = delegate;
  }

  void reset() {
    uploaded.set(0);
    downloaded.set(0);
    requests.set(0);
  }

  @Override
  public Optional<Blob> read(String name) throws IOException {
    requests.incrementAndGet();
    Optional<Blob> blob = delegate.read(name);
    blob.ifPresent(b -> downloaded.addAndGet(b.data().length));
    return blob;
  }

  @Override
  public int read(String name, long offset, ByteBuffer dst) throws IOException {
    requests.incrementAndGet();
    int n = delegate.read(name, offset, dst);
    downloaded.addAndGet(Math.max(n, 0));
    return n;
  }

  @Override
  public String write(String name, byte[] data, Condition condition, String leaseId)
      throws IOException {
    requests.incrementAndGet();
    uploaded.addAndGet(data.length);
    return delegate.write(name, data, condition, leaseId);
  }

  @Override
  public void stageBlock(String name, String blockId, byte[] data, int length)
      throws IOException {
    requests.incrementAndGet();
    uploaded.addAndGet(length);
    delegate.stageBlock(name, blockId, data, length);
  }

  @Override
  public void commitBlocks(String name, List<String> blockIds, Condition condition)
      throws IOException {
    requests.incrementAndGet();
    delegate.commitBlocks(name, blockIds, condition);
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    requests.incrementAndGet();
    return delegate.list(prefix);
  }

  @Override
  public boolean delete(String name) throws IOException {
    requests.incrementAndGet();
    return delegate.delete(name);
  }

  @Override
  public String acquireLease(String name, Duration duration, Condition condition) throws IOException {
    requests.incrementAndGet();
    return delegate.acquireLease(name, duration, condition);
  }

  @Override
  public void renewLease(String name, String leaseId) throws IOException {
    requests.incrementAndGet();
    delegate.renewLease(name, leaseId);
  }

  @Override
  public void releaseLease(String name, String leaseId) throws IOException {
    requests.incrementAndGet();
    delegate.releaseLease(name, leaseId);
  }
}
