package dev.bunker.metadata;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory twin of the blob store; counts writes so tests can say what a snapshot cost. */
public final class InMemoryBlobStore implements BlobStore {
  private record Blob(byte[] content, Instant written) {}

  private final ConcurrentSkipListMap<String, Blob> blobs = new ConcurrentSkipListMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final Clock clock;

  public InMemoryBlobStore() {
    this(Clock.systemUTC());
  }

  /** Blobs are stamped with {@code clock}'s time when written. */
  public InMemoryBlobStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean createIfAbsent(String name, byte[] content) {
    boolean created = blobs.putIfAbsent(name, new Blob(content.clone(), clock.instant())) == null;
    if (created) {
      writes.incrementAndGet();
      bytes.addAndGet(content.length);
    }
    return created;
  }

  @Override
  public Optional<byte[]> read(String name) {
    return Optional.ofNullable(blobs.get(name)).map(blob -> blob.content().clone());
  }

  @Override
  public List<StoredBlob> list(String prefix) {
    return blobs.subMap(prefix, prefix + Character.MAX_VALUE).entrySet().stream()
        .map(e -> new StoredBlob(e.getKey(), e.getValue().content().length, e.getValue().written())).toList();
  }

  @Override
  public boolean delete(String name) {
    return blobs.remove(name) != null;
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
