package dev.bunker.metadata;

import dev.bunker.hash.Sha256;
import dev.bunker.json.Json;
import dev.bunker.metadata.SnapshotIndex.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Collects one snapshot's documents; {@link #commit()} writes its manifest. Objects and index
 * chunks are written before the manifest that names them: a crash leaves the previous snapshot
 * whole (and some unreferenced objects for garbage collection). Thread safe.
 */
public final class SnapshotWriter implements MetadataSink {
  private final ContentObjects objects;
  private final String organizationId;
  private final String projectId;
  private final String projectName;
  private final String snapshotId;
  private final Instant createdAt;
  private final MetadataSnapshot previous;
  /** The snapshot as stored, for a redelivered run whose manifest is there already. */
  private final Supplier<MetadataSnapshot> alreadyCommitted;
  private final Map<MetadataKind, Map<String, String>> entries = new ConcurrentHashMap<>();
  private final List<Omission> omissions = Collections.synchronizedList(new ArrayList<>());
  /** Hashes known to be stored: the previous snapshot's and those written or found by this one. */
  private final Set<String> stored = ConcurrentHashMap.newKeySet();
  private final AtomicLong objectsWritten = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong indexObjectsWritten = new AtomicLong();
  private final AtomicLong indexBytesWritten = new AtomicLong();
  private volatile boolean committed;

  SnapshotWriter(ContentObjects objects, String organizationId, String projectId, String projectName,
      String snapshotId, Instant createdAt, Optional<MetadataSnapshot> previous,
      Supplier<MetadataSnapshot> alreadyCommitted) {
    this.objects = objects;
    this.organizationId = organizationId;
    this.projectId = projectId;
    this.projectName = projectName;
    this.snapshotId = snapshotId;
    this.createdAt = createdAt;
    this.previous = previous.orElse(null);
    this.alreadyCommitted = alreadyCommitted;
    previous.ifPresent(p -> {
      p.entries().values().forEach(byId -> stored.addAll(byId.values()));
      p.index().values().forEach(stored::addAll);
    });
  }

  @Override
  public boolean put(MetadataKind kind, String id, byte[] content) {
    checkOpen();
    String hash = store(content, objectsWritten, bytesWritten);
    entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(id, hash);
    return !previousHash(kind, id).map(hash::equals).orElse(false);
  }

  /**
   * Streams {@code content} through a temporary file (compressed, hashed on the way), then to
   * storage unless an object of that hash is known: memory holds buffers, never the content.
   */
  @Override
  public boolean put(MetadataKind kind, String id, InputStream content) throws IOException {
    checkOpen();
    Path spool = Files.createTempFile("bunker-metadata-", ".gz");
    try {
      String hash = ContentObjects.spool(content, spool);
      if (stored.add(hash) && objects.createIfAbsent(MetadataLayout.objectName(organizationId, hash), spool)) {
        objectsWritten.incrementAndGet();
        bytesWritten.addAndGet(Files.size(spool));
      }
      entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(id, hash);
      return !previousHash(kind, id).map(hash::equals).orElse(false);
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  /** Writes an object unless it is known to be stored; counts what was written. */
  private String store(byte[] content, AtomicLong objectCount, AtomicLong byteCount) {
    String hash = Sha256.hex(content);
    if (stored.add(hash)) {
      byte[] compressed = ContentObjects.gzip(content);
      if (objects.createIfAbsent(MetadataLayout.objectName(organizationId, hash), compressed)) {
        objectCount.incrementAndGet();
        byteCount.addAndGet(compressed.length);
      }
    }
    return hash;
  }

  @Override
  public boolean keep(MetadataKind kind, String id) {
    checkOpen();
    Optional<String> hash = previousHash(kind, id);
    hash.ifPresent(h -> entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(id, h));
    return hash.isPresent();
  }

  @Override
  public int keepUnder(MetadataKind kind, String idPrefix) {
    checkOpen();
    if (previous == null) {
      return 0;
    }
    Map<String, String> all = previous.entries(kind);
    // Snapshots read from the store hold sorted maps: a range, not a scan, per call.
    NavigableMap<String, String> sorted = all instanceof NavigableMap<String, String> n ? n : new TreeMap<>(all);
    Map<String, String> kept = sorted.subMap(idPrefix, true, idPrefix + Character.MAX_VALUE, false);
    if (!kept.isEmpty()) {
      entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).putAll(kept);
    }
    return kept.size();
  }

  @Override
  public boolean unchanged(MetadataKind kind, String id, byte[] content) {
    return previousHash(kind, id).map(Sha256.hex(content)::equals).orElse(false);
  }

  private Optional<String> previousHash(MetadataKind kind, String id) {
    return previous == null ? Optional.empty() : previous.hash(kind, id);
  }

  @Override
  public Optional<byte[]> previous(MetadataKind kind, String id) {
    return previousHash(kind, id).map(hash -> objects.read(organizationId, hash));
  }

  @Override
  public Set<String> previousIds(MetadataKind kind) {
    return previous == null ? Set.of() : Collections.unmodifiableSet(previous.entries(kind).keySet());
  }

  @Override
  public void omit(String kind, String id, String reason) {
    checkOpen();
    omissions.add(new Omission(kind, id, reason));
  }

  /**
   * Writes the index chunks, then the manifest; the snapshot exists from then on. Committing a
   * snapshot id that is already there (a redelivered run) returns the stored snapshot and changes
   * nothing.
   */
  public synchronized MetadataSnapshot commit() {
    checkOpen();
    committed = true;
    Map<String, Map<String, String>> sorted = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    entries.forEach((kind, byId) -> {
      sorted.put(kind.key(), new TreeMap<>(byId));
      counts.put(kind.key(), byId.size());
    });
    Map<String, List<String>> index = new TreeMap<>();
    sorted.forEach((kind, byId) -> index.put(kind,
        SnapshotIndex.chunks(kind, byId, chunk -> store(chunk, indexObjectsWritten, indexBytesWritten))));
    List<Omission> notBackedUp;
    synchronized (omissions) {
      notBackedUp = omissions.stream()
          .sorted(Comparator.comparing(Omission::kind).thenComparing(Omission::id))
          .toList();
    }
    // The manifest states its own size: settle the number (its digits count too).
    Manifest manifest = manifest(index, counts, notBackedUp, 0);
    byte[] bytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
    while (bytes.length != manifest.stats().manifestBytes()) {
      manifest = manifest(index, counts, notBackedUp, bytes.length);
      bytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
    }
    if (!objects.createIfAbsent(MetadataLayout.manifestName(organizationId, projectId, snapshotId), bytes)) {
      return alreadyCommitted.get();
    }
    return manifest.snapshot(sorted);
  }

  private Manifest manifest(Map<String, List<String>> index, Map<String, Integer> counts,
      List<Omission> notBackedUp, long manifestBytes) {
    return new Manifest(MetadataSnapshot.FORMAT, snapshotId, organizationId, projectId, projectName, createdAt,
        index, counts, notBackedUp, new MetadataSnapshot.Stats(objectsWritten.get(), bytesWritten.get(),
            indexObjectsWritten.get(), indexBytesWritten.get(), manifestBytes));
  }

  private void checkOpen() {
    if (committed) {
      throw new IllegalStateException("snapshot " + snapshotId + " is already committed");
    }
  }
}
