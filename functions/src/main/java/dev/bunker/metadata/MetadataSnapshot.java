package dev.bunker.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One project's metadata snapshot: for each kind, document id to content hash of an object in the
 * store, plus what could not be backed up. A snapshot exists once its manifest is written (last).
 *
 * @param entries kind (manifest name) to document id to sha-256 of the document
 * @param index kind to the hashes of the index chunks that hold its entries (what the manifest stores)
 * @param counts documents per kind
 * @param stats what writing this snapshot cost
 */
public record MetadataSnapshot(
    int format,
    String snapshotId,
    String organizationId,
    String projectId,
    String projectName,
    Instant createdAt,
    Map<String, Map<String, String>> entries,
    Map<String, List<String>> index,
    Map<String, Integer> counts,
    List<Omission> notBackedUp,
    Stats stats) {

  /** The manifest format written by this code. */
  public static final int FORMAT = 1;

  /**
   * @param objectsWritten documents and attachments new to the store (in no earlier snapshot)
   * @param bytesWritten stored (compressed) bytes of those
   * @param indexObjectsWritten index chunks new to the store (those covering changed entries)
   * @param indexBytesWritten stored bytes of those
   * @param manifestBytes size of this manifest
   */
  public record Stats(long objectsWritten, long bytesWritten, long indexObjectsWritten, long indexBytesWritten,
      long manifestBytes) {

    /** Everything this snapshot added to storage. */
    public long totalBytes() {
      return bytesWritten + indexBytesWritten + manifestBytes;
    }
  }

  /** What a snapshot holds and what it cost, without its entries: what listings show. */
  public record Summary(String snapshotId, String projectId, String projectName, Instant createdAt,
      Map<String, Integer> counts, List<Omission> notBackedUp, Stats stats) {}

  public Summary summary() {
    return new Summary(snapshotId, projectId, projectName, createdAt, counts, notBackedUp, stats);
  }

  /** The content hash of document {@code id} of {@code kind}, if this snapshot holds it. */
  public Optional<String> hash(MetadataKind kind, String id) {
    return Optional.ofNullable(entries.getOrDefault(kind.key(), Map.of()).get(id));
  }

  /** Document ids to hashes of one kind. */
  public Map<String, String> entries(MetadataKind kind) {
    return entries.getOrDefault(kind.key(), Map.of());
  }

  public int count(MetadataKind kind) {
    return counts.getOrDefault(kind.key(), 0);
  }
}
