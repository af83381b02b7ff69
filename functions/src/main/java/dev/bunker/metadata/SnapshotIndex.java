package dev.bunker.metadata;

import dev.bunker.json.DamagedJsonException;
import dev.bunker.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Which document ids a snapshot holds, kept in index chunks that are themselves content objects: a
 * chunk ends after an id whose hash says so (content-defined, so adding or changing a few
 * documents changes a few chunks), and the manifest lists chunk hashes per kind, so it stays small
 * however large the project.
 */
final class SnapshotIndex {
  /** Index chunks hold about this many entries on average; a chunk never holds more than four times it. */
  static final int CHUNK_TARGET = 256;

  private SnapshotIndex() {}

  /** The stored form of a snapshot: index chunk hashes per kind instead of every entry. */
  record Manifest(int format, String snapshotId, String organizationId, String projectId, String projectName,
      Instant createdAt, Map<String, List<String>> index, Map<String, Integer> counts, List<Omission> notBackedUp,
      MetadataSnapshot.Stats stats) {

    MetadataSnapshot snapshot(Map<String, Map<String, String>> entries) {
      return new MetadataSnapshot(format, snapshotId, organizationId, projectId, projectName, createdAt, entries,
          index, counts, notBackedUp, stats);
    }

    static Manifest read(byte[] stored, String name) {
      return readStored(stored, Manifest.class, name);
    }
  }

  /** Part of one kind's index: document id to content hash, ids in order. */
  record Chunk(String kind, Map<String, String> entries) {}

  /** Where a chunk ends: after an id whose hash is a multiple of the target (or when it is full). */
  static boolean endsChunk(String kind, String id, int size) {
    CRC32 crc = new CRC32();
    crc.update((kind + "/" + id).getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % CHUNK_TARGET == 0 || size >= 4 * CHUNK_TARGET;
  }

  /**
   * Cuts one kind's entries (ids in order) into chunks and stores each.
   *
   * @param store stores a chunk's content and returns its hash
   * @return the chunks' hashes, in order
   */
  static List<String> chunks(String kind, Map<String, String> byId, Function<byte[], String> store) {
    List<String> hashes = new ArrayList<>();
    Map<String, String> chunk = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : byId.entrySet()) {
      chunk.put(entry.getKey(), entry.getValue());
      if (endsChunk(kind, entry.getKey(), chunk.size())) {
        hashes.add(store.apply(json(kind, chunk)));
        chunk = new LinkedHashMap<>();
      }
    }
    if (!chunk.isEmpty()) {
      hashes.add(store.apply(json(kind, chunk)));
    }
    return hashes;
  }

  private static byte[] json(String kind, Map<String, String> chunk) {
    return Json.write(new Chunk(kind, chunk)).getBytes(StandardCharsets.UTF_8);
  }

  /** Every entry the manifest's index chunks hold: kind to document id to hash, ids sorted. */
  static Map<String, Map<String, String>> entries(ContentObjects objects, String organizationId, Manifest manifest) {
    Map<String, Map<String, String>> entries = new TreeMap<>();
    manifest.index().forEach((kind, chunks) -> {
      Map<String, String> byId = new TreeMap<>();
      for (String chunk : chunks) {
        byId.putAll(readStored(objects.read(organizationId, chunk), Chunk.class,
            MetadataLayout.objectName(organizationId, chunk)).entries());
      }
      entries.put(kind, byId);
    });
    return entries;
  }

  private static <T> T readStored(byte[] stored, Class<T> type, String blob) {
    try {
      return Json.readStored(new String(stored, StandardCharsets.UTF_8), type, "blob " + blob);
    } catch (DamagedJsonException e) {
      throw new DamagedMetadataException(e.getMessage(), e);
    }
  }
}
