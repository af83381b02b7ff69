package dev.bunker.metadata;

import dev.bunker.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Metadata snapshots in the backup container, content addressed:
 * <pre>
 *   orgs/&lt;orgId&gt;/meta/objects/&lt;sha256&gt;                          a document, attachment or index chunk (gzip)
 *   orgs/&lt;orgId&gt;/meta/snapshots/&lt;projectId&gt;/&lt;snapshotId&gt;.json  the manifest
 *   orgs/&lt;orgId&gt;/meta/restores/&lt;restoreId&gt;/…                  what a restore made (see {@link RestoreLedger})
 * </pre>
 * An object's name is the sha-256 of its uncompressed content, so it is written once however many
 * snapshots, projects or work items refer to it. Which document ids a snapshot holds is kept in
 * index chunks, themselves objects: a chunk ends after an id whose hash says so (content-defined,
 * so adding or changing a few documents changes a few chunks), and the manifest lists chunk
 * hashes per kind, so it stays small however large the project. Objects and chunks are written
 * before the manifest that names them: a crash leaves the previous snapshot whole (and some
 * unreferenced objects for garbage collection).
 */
public final class MetadataStore {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** Index chunks hold about this many entries on average; a chunk never holds more than four times it. */
  static final int CHUNK_TARGET = 256;

  private final BlobStore blobs;

  public MetadataStore(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** Starts snapshot {@code snapshotId} of a project; {@code previous} lets unchanged documents cost nothing. */
  public Writer begin(String organizationId, String projectId, String projectName, String snapshotId,
      Instant createdAt, Optional<MetadataSnapshot> previous) {
    checkName("organization id", organizationId);
    checkName("project id", projectId);
    checkName("snapshot id", snapshotId);
    return new Writer(organizationId, projectId, projectName, snapshotId, createdAt, previous);
  }

  /** Snapshot ids of a project, oldest first. */
  public List<String> snapshotIds(String organizationId, String projectId) {
    checkName("project id", projectId);
    String prefix = snapshotsPrefix(organizationId, projectId);
    return blobs.list(prefix).stream()
        .map(blob -> blob.name().substring(prefix.length()))
        .filter(name -> name.endsWith(".json") && !name.contains("/"))
        .map(name -> name.substring(0, name.length() - ".json".length()))
        .sorted()
        .toList();
  }

  /** The newest snapshot of a project, if any. */
  public Optional<MetadataSnapshot> latest(String organizationId, String projectId) {
    List<String> ids = snapshotIds(organizationId, projectId);
    return ids.isEmpty() ? Optional.empty() : snapshot(organizationId, projectId, ids.get(ids.size() - 1));
  }

  public Optional<MetadataSnapshot> snapshot(String organizationId, String projectId, String snapshotId) {
    return manifest(organizationId, projectId, snapshotId)
        .map(manifest -> manifest.snapshot(entries(organizationId, manifest)));
  }

  /** A snapshot's counts, omissions and costs: its manifest alone, without reading its index. */
  public Optional<MetadataSnapshot.Summary> summary(String organizationId, String projectId, String snapshotId) {
    return manifest(organizationId, projectId, snapshotId).map(manifest -> manifest.snapshot(Map.of()).summary());
  }

  /** The projects of an organization that have metadata snapshots, in order of id. */
  public List<String> projectIds(String organizationId) {
    checkName("organization id", organizationId);
    String prefix = "orgs/" + organizationId + "/meta/snapshots/";
    return blobs.list(prefix).stream()
        .map(blob -> blob.name().substring(prefix.length()))
        .filter(name -> name.indexOf('/') > 0)
        .map(name -> name.substring(0, name.indexOf('/')))
        .distinct()
        .toList();
  }

  private Optional<Manifest> manifest(String organizationId, String projectId, String snapshotId) {
    checkName("project id", projectId);
    checkName("snapshot id", snapshotId);
    String name = manifestName(organizationId, projectId, snapshotId);
    return blobs.read(name).map(bytes -> Json.readStored(new String(bytes, StandardCharsets.UTF_8), Manifest.class,
        "blob " + name));
  }

  /** Whether {@code value} can name an organization, project or snapshot in the store. */
  public static boolean isValidName(String value) {
    return value != null && SAFE_NAME.matcher(value).matches();
  }

  private Map<String, Map<String, String>> entries(String organizationId, Manifest manifest) {
    Map<String, Map<String, String>> entries = new TreeMap<>();
    manifest.index().forEach((kind, chunks) -> {
      Map<String, String> byId = new TreeMap<>();
      for (String chunk : chunks) {
        byId.putAll(Json.readStored(new String(object(organizationId, chunk), StandardCharsets.UTF_8), Chunk.class,
            "blob " + objectName(organizationId, chunk)).entries());
      }
      entries.put(kind, byId);
    });
    return entries;
  }

  /** The stored form of a snapshot: index chunk hashes per kind instead of every entry. */
  record Manifest(int format, String snapshotId, String organizationId, String projectId, String projectName,
      Instant createdAt, Map<String, List<String>> index, Map<String, Integer> counts, List<Omission> notBackedUp,
      MetadataSnapshot.Stats stats) {

    MetadataSnapshot snapshot(Map<String, Map<String, String>> entries) {
      return new MetadataSnapshot(format, snapshotId, organizationId, projectId, projectName, createdAt, entries,
          index, counts, notBackedUp, stats);
    }
  }

  /** Part of one kind's index: document id to content hash, ids in order. */
  record Chunk(String kind, Map<String, String> entries) {}

  /** Where a chunk ends: after an id whose hash is a multiple of the target (or when it is full). */
  static boolean endsChunk(String kind, String id, int size) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update((kind + "/" + id).getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % CHUNK_TARGET == 0 || size >= 4 * CHUNK_TARGET;
  }

  /**
   * The content of object {@code hash}, checked against its hash.
   *
   * @throws BlobStoreException when the object is missing or damaged
   */
  public byte[] object(String organizationId, String hash) {
    String name = objectName(organizationId, hash);
    byte[] stored = blobs.read(name)
        .orElseThrow(() -> new BlobStoreException("metadata object " + name + " is missing", null));
    byte[] content = gunzip(stored, name);
    if (!sha256(content).equals(hash)) {
      throw new BlobStoreException("metadata object " + name + " does not match its hash", null);
    }
    return content;
  }

  /**
   * The content of object {@code hash} as a stream, for content too large to hold in memory: read
   * from storage as it is consumed, and checked against its hash at its end (a damaged object
   * fails the read there).
   *
   * @throws BlobStoreException when the object is missing
   */
  public InputStream open(String organizationId, String hash) {
    String name = objectName(organizationId, hash);
    InputStream stored = blobs.open(name)
        .orElseThrow(() -> new BlobStoreException("metadata object " + name + " is missing", null));
    MessageDigest digest = sha256Digest();
    try {
      return new java.io.FilterInputStream(new java.security.DigestInputStream(
          new GZIPInputStream(stored, 64 * 1024), digest)) {
        private boolean checked;

        @Override
        public int read() throws IOException {
          return check(super.read());
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          return check(super.read(buffer, offset, length));
        }

        private int check(int read) throws IOException {
          if (read < 0 && !checked) {
            checked = true;
            if (!HexFormat.of().formatHex(digest.digest()).equals(hash)) {
              throw new IOException("metadata object " + name + " does not match its hash");
            }
          }
          return read;
        }
      };
    } catch (IOException e) {
      throw new BlobStoreException("metadata object " + name + " is not readable gzip", e);
    }
  }

  /**
   * Forgets snapshot {@code snapshotId}: deletes its manifest. What only it referred to stays until
   * {@link #collectGarbage}; retention decides which snapshots to forget (never a project's newest).
   */
  public boolean forget(String organizationId, String projectId, String snapshotId) {
    checkName("snapshot id", snapshotId);
    return blobs.delete(manifestName(organizationId, projectId, snapshotId));
  }

  /** What a garbage collection found and removed. */
  public record Collected(int snapshots, int referenced, int deleted, long bytesFreed) {}

  /**
   * Deletes the organization's objects that no snapshot of any project refers to and that were
   * written before {@code writtenBefore}. The grace period protects objects of a backup still
   * running (written before its manifest). Do not run it alongside a metadata backup of the same
   * organization: a backup counts on objects that exist already, referenced or not.
   */
  public Collected collectGarbage(String organizationId, Instant writtenBefore) {
    checkName("organization id", organizationId);
    Set<String> referenced = new java.util.HashSet<>();
    int snapshots = 0;
    for (BlobStore.StoredBlob manifest : blobs.list("orgs/" + organizationId + "/meta/snapshots/")) {
      Optional<byte[]> bytes = blobs.read(manifest.name());
      if (bytes.isEmpty() || !manifest.name().endsWith(".json")) {
        continue;
      }
      Manifest read = Json.readStored(new String(bytes.get(), StandardCharsets.UTF_8), Manifest.class,
          "blob " + manifest.name());
      read.index().values().forEach(referenced::addAll);
      entries(organizationId, read).values().forEach(byId -> referenced.addAll(byId.values()));
      snapshots++;
    }
    String prefix = objectName(organizationId, "");
    int deleted = 0;
    long freed = 0;
    for (BlobStore.StoredBlob object : blobs.list(prefix)) {
      String hash = object.name().substring(prefix.length());
      if (!referenced.contains(hash) && object.lastModified().isBefore(writtenBefore) && blobs.delete(object.name())) {
        deleted++;
        freed += object.size();
      }
    }
    return new Collected(snapshots, referenced.size(), deleted, freed);
  }

  /** The ledger of restore {@code restoreId} of a snapshot of this organization, with what it made so far. */
  public RestoreLedger ledger(String organizationId, String restoreId) {
    checkName("organization id", organizationId);
    checkName("restore id", restoreId);
    return RestoreLedger.stored(blobs, "orgs/" + organizationId + "/meta/restores/" + restoreId + "/");
  }

  static String objectName(String organizationId, String hash) {
    return "orgs/" + organizationId + "/meta/objects/" + hash;
  }

  static String manifestName(String organizationId, String projectId, String snapshotId) {
    return snapshotsPrefix(organizationId, projectId) + snapshotId + ".json";
  }

  private static String snapshotsPrefix(String organizationId, String projectId) {
    return "orgs/" + organizationId + "/meta/snapshots/" + projectId + "/";
  }

  private static void checkName(String what, String value) {
    if (!isValidName(value)) {
      throw new IllegalArgumentException(what + " must be letters, digits, '.', '_' or '-': " + value);
    }
  }

  static String sha256(byte[] content) {
    return HexFormat.of().formatHex(sha256Digest().digest(content));
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, content.length / 4));
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] stored, String name) {
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(stored))) {
      return zip.readAllBytes();
    } catch (IOException e) {
      throw new BlobStoreException("metadata object " + name + " is not readable gzip", e);
    }
  }

  /** Collects one snapshot's documents; {@link #commit()} writes its manifest. Thread safe. */
  public final class Writer implements MetadataSink {
    private final String organizationId;
    private final String projectId;
    private final String projectName;
    private final String snapshotId;
    private final Instant createdAt;
    private final MetadataSnapshot previous;
    private final Map<MetadataKind, Map<String, String>> entries = new ConcurrentHashMap<>();
    private final List<Omission> omissions = Collections.synchronizedList(new ArrayList<>());
    /** Hashes known to be stored: the previous snapshot's and those written or found by this one. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final AtomicLong objectsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong indexObjectsWritten = new AtomicLong();
    private final AtomicLong indexBytesWritten = new AtomicLong();
    private volatile boolean committed;

    private Writer(String organizationId, String projectId, String projectName, String snapshotId,
        Instant createdAt, Optional<MetadataSnapshot> previous) {
      this.organizationId = organizationId;
      this.projectId = projectId;
      this.projectName = projectName;
      this.snapshotId = snapshotId;
      this.createdAt = createdAt;
      this.previous = previous.orElse(null);
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
        MessageDigest digest = sha256Digest();
        try (OutputStream file = Files.newOutputStream(spool);
             GZIPOutputStream zip = new GZIPOutputStream(file, 64 * 1024)) {
          byte[] buffer = new byte[64 * 1024];
          int read;
          while ((read = content.read(buffer)) > 0) {
            digest.update(buffer, 0, read);
            zip.write(buffer, 0, read);
          }
        }
        String hash = HexFormat.of().formatHex(digest.digest());
        if (stored.add(hash)) {
          long size = Files.size(spool);
          try (InputStream compressed = Files.newInputStream(spool)) {
            if (blobs.createIfAbsent(objectName(organizationId, hash), compressed, size)) {
              objectsWritten.incrementAndGet();
              bytesWritten.addAndGet(size);
            }
          }
        }
        entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(id, hash);
        return !previousHash(kind, id).map(hash::equals).orElse(false);
      } finally {
        Files.deleteIfExists(spool);
      }
    }

    /** Writes an object unless it is known to be stored; counts what was written. */
    private String store(byte[] content, AtomicLong objects, AtomicLong bytes) {
      String hash = sha256(content);
      if (stored.add(hash)) {
        byte[] compressed = gzip(content);
        if (blobs.createIfAbsent(objectName(organizationId, hash), compressed)) {
          objects.incrementAndGet();
          bytes.addAndGet(compressed.length);
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
      java.util.NavigableMap<String, String> sorted = all instanceof java.util.NavigableMap<String, String> n
          ? n : new TreeMap<>(all);
      Map<String, String> kept = sorted.subMap(idPrefix, true, idPrefix + Character.MAX_VALUE, false);
      if (!kept.isEmpty()) {
        entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).putAll(kept);
      }
      return kept.size();
    }

    @Override
    public boolean unchanged(MetadataKind kind, String id, byte[] content) {
      return previousHash(kind, id).map(sha256(content)::equals).orElse(false);
    }

    private Optional<String> previousHash(MetadataKind kind, String id) {
      return previous == null ? Optional.empty() : previous.hash(kind, id);
    }

    @Override
    public Optional<byte[]> previous(MetadataKind kind, String id) {
      return previousHash(kind, id).map(hash -> object(organizationId, hash));
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
     * Writes the manifest; the snapshot exists from then on. Committing a snapshot id that is
     * already there (a redelivered run) returns the stored snapshot and changes nothing.
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
      sorted.forEach((kind, byId) -> index.put(kind, chunks(kind, byId)));
      List<Omission> notBackedUp;
      synchronized (omissions) {
        notBackedUp = omissions.stream()
            .sorted(java.util.Comparator.comparing(Omission::kind).thenComparing(Omission::id))
            .toList();
      }
      // The manifest states its own size: settle the number (its digits count too).
      Manifest manifest = manifest(index, counts, notBackedUp, 0);
      byte[] bytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
      while (bytes.length != manifest.stats().manifestBytes()) {
        manifest = manifest(index, counts, notBackedUp, bytes.length);
        bytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
      }
      String name = manifestName(organizationId, projectId, snapshotId);
      if (!blobs.createIfAbsent(name, bytes)) {
        return MetadataStore.this.snapshot(organizationId, projectId, snapshotId).orElseThrow();
      }
      return manifest.snapshot(sorted);
    }

    private List<String> chunks(String kind, Map<String, String> byId) {
      List<String> hashes = new ArrayList<>();
      Map<String, String> chunk = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, String> entry : byId.entrySet()) {
        chunk.put(entry.getKey(), entry.getValue());
        if (endsChunk(kind, entry.getKey(), chunk.size())) {
          hashes.add(storeChunk(kind, chunk));
          chunk = new java.util.LinkedHashMap<>();
        }
      }
      if (!chunk.isEmpty()) {
        hashes.add(storeChunk(kind, chunk));
      }
      return hashes;
    }

    private String storeChunk(String kind, Map<String, String> chunk) {
      return store(Json.write(new Chunk(kind, chunk)).getBytes(StandardCharsets.UTF_8),
          indexObjectsWritten, indexBytesWritten);
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
}
