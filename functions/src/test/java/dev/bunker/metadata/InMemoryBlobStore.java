package dev.bunker.metadata;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory twin of the blob store; counts writes so tests can say what a snapshot cost. */
public final class InMemoryBlobStore implements BlobStore {
  private final ConcurrentSkipListMap<String, byte[]> blobs = new ConcurrentSkipListMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  @Override
  public boolean createIfAbsent(String name, byte[] content) {
    boolean created = blobs.putIfAbsent(name, content.clone()) == null;
    if (created) {
      writes.incrementAndGet();
      bytes.addAndGet(content.length);
    }
    return created;
  }

  @Override
  public Optional<byte[]> read(String name) {
    return Optional.ofNullable(blobs.get(name)).map(byte[]::clone);
  }

  @Override
  public List<String> list(String prefix) {
    return List.copyOf(blobs.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
  }

  /** Blobs created so far. */
  public int writes() {
    return writes.get();
  }

  /** Bytes of the blobs created so far. */
  public long bytes() {
    return bytes.get();
  }

  public int size() {
    return blobs.size();
  }
}
