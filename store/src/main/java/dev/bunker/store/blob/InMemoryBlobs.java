package dev.bunker.store.blob;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blobs in process memory with the same conditional-write, lease and block semantics as Azure
 * Blob, so the store's code paths are the same in both. Lease expiry follows the injected clock.
 */
public final class InMemoryBlobs implements Blobs {
  private final Clock clock;
  private final TreeMap<String, Stored> blobs = new TreeMap<>();
  private final Map<String, Map<String, byte[]>> staged = new HashMap<>();
  private final AtomicLong versions = new AtomicLong();

  public InMemoryBlobs(Clock clock) {
    this.clock = clock;
  }

  private record Stored(
      byte[] data, Map<String, byte[]> blocks, String etag, Instant lastModified,
      String leaseId, Instant leaseExpires, Duration leaseLength) {
    boolean leasedAt(Instant now) {
      return leaseId != null && now.isBefore(leaseExpires);
    }

    Stored withLease(String id, Instant expires, Duration length) {
      return new Stored(data, blocks, etag, lastModified, id, expires, length);
    }
  }

  @Override
  public synchronized Optional<Blob> read(String name) {
    Stored s = blobs.get(name);
    return s == null ? Optional.empty() : Optional.of(new Blob(s.data.clone(), s.etag));
  }

  @Override
  public synchronized int read(String name, long offset, ByteBuffer dst)
      throws BlobNotFoundException {
    Stored s = blobs.get(name);
    if (s == null) {
      throw new BlobNotFoundException("blob " + name + " does not exist");
    }
    if (offset >= s.data.length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), s.data.length - offset);
    dst.put(s.data, (int) offset, n);
    return n;
  }

  @Override
  public synchronized String write(String name, byte[] data, Condition condition, String leaseId)
      throws ConditionFailedException, LeaseLostException {
    Stored old = blobs.get(name);
    checkLease(name, old, leaseId);
    checkCondition(name, old, condition);
    return put(name, data.clone(), Map.of(), old);
  }

  private static void checkCondition(String name, Stored old, Condition condition)
      throws ConditionFailedException {
    if (condition instanceof Condition.Absent && old != null) {
      throw new ConditionFailedException("blob " + name + " already exists");
    }
    if (condition instanceof Condition.Matching m
        && (old == null || !old.etag.equals(m.etag()))) {
      throw new ConditionFailedException("blob " + name + " was changed by another writer");
    }
  }

  private void checkLease(String name, Stored old, String leaseId) throws LeaseLostException {
    Instant now = clock.instant();
    boolean leased = old != null && old.leasedAt(now);
    if (leased && !old.leaseId.equals(leaseId)) {
      throw new LeaseLostException("blob " + name + " is leased by another writer");
    }
    if (!leased && leaseId != null) {
      throw new LeaseLostException("the lease on blob " + name + " expired");
    }
  }

  private String put(String name, byte[] data, Map<String, byte[]> blocks, Stored old) {
    String etag = "\"0x" + Long.toHexString(versions.incrementAndGet()) + "\"";
    // a lease survives writes while active; a lapsed one can no longer be renewed once the blob
    // was written (Lease Blob: renewable "as long as the blob hasn't been modified")
    boolean active = old != null && old.leasedAt(clock.instant());
    Stored s = new Stored(data, blocks, etag, clock.instant(),
        active ? old.leaseId : null, active ? old.leaseExpires : null, active ? old.leaseLength : null);
    blobs.put(name, s);
    return etag;
  }

  @Override
  public synchronized void stageBlock(String name, String blockId, byte[] data, int length) {
    staged.computeIfAbsent(name, n -> new HashMap<>()).put(blockId, Arrays.copyOf(data, length));
  }

  @Override
  public synchronized void commitBlocks(String name, List<String> blockIds, Condition condition)
      throws BlobNotFoundException, ConditionFailedException, LeaseLostException {
    Map<String, byte[]> pending = staged.getOrDefault(name, Map.of());
    Stored old = blobs.get(name);
    checkLease(name, old, null);
    checkCondition(name, old, condition);
    Map<String, byte[]> committed = new HashMap<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String id : blockIds) {
      byte[] block = pending.containsKey(id) ? pending.get(id)
          : old != null ? old.blocks.get(id) : null;
      if (block == null) {
        throw new BlobNotFoundException("block " + id + " of blob " + name + " was never staged");
      }
      committed.put(id, block);
      out.writeBytes(block);
    }
    staged.remove(name);
    put(name, out.toByteArray(), committed, old);
  }

  @Override
  public synchronized List<BlobInfo> list(String prefix) {
    List<BlobInfo> result = new ArrayList<>();
    for (var e : blobs.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      result.add(new BlobInfo(e.getKey(), e.getValue().data.length, e.getValue().lastModified,
          e.getValue().leasedAt(clock.instant())));
    }
    return result;
  }

  @Override
  public synchronized boolean delete(String name) throws LeaseLostException {
    checkLease(name, blobs.get(name), null);
    staged.remove(name);
    return blobs.remove(name) != null;
  }

  @Override
  public synchronized String acquireLease(String name, Duration duration, Condition condition)
      throws BlobNotFoundException, ConditionFailedException, LeaseLostException {
    Condition.requireLeasable(condition);
    Stored s = existing(name);
    // as Azure (and Azurite) answer: the condition is checked before the lease
    checkCondition(name, s, condition);
    Instant now = clock.instant();
    if (s.leasedAt(now)) {
      throw new LeaseLostException("blob " + name + " is leased by another writer");
    }
    String id = UUID.randomUUID().toString();
    blobs.put(name, s.withLease(id, now.plus(duration), duration));
    return id;
  }

  @Override
  public synchronized void renewLease(String name, String leaseId)
      throws BlobNotFoundException, LeaseLostException {
    Stored s = existing(name);
    Instant now = clock.instant();
    // Azure lets the holder renew an expired lease as long as nobody else took it meanwhile.
    if (!leaseId.equals(s.leaseId)) {
      throw new LeaseLostException("the lease on blob " + name + " was taken by another writer");
    }
    blobs.put(name, s.withLease(leaseId, now.plus(s.leaseLength), s.leaseLength));
  }

  @Override
  public synchronized void releaseLease(String name, String leaseId) {
    Stored s = blobs.get(name);
    if (s != null && leaseId.equals(s.leaseId)) {
      blobs.put(name, s.withLease(null, null, null));
    }
  }

  private Stored existing(String name) throws BlobNotFoundException {
    Stored s = blobs.get(name);
    if (s == null) {
      throw new BlobNotFoundException("blob " + name + " does not exist");
    }
    return s;
  }
}
