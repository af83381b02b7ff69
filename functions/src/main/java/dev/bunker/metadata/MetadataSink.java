package dev.bunker.metadata;

/**
 * Where exporters put what they read from Azure DevOps, one document at a time. Knows the previous
 * snapshot, so an exporter can skip reading what cannot have changed. Thread safe.
 */
public interface MetadataSink {

  /**
   * Records document {@code id} of {@code kind} with {@code content}, stored once by its hash.
   *
   * @return true when the content differs from the previous snapshot's (or it had none)
   */
  boolean put(MetadataKind kind, String id, byte[] content);

  /**
   * As {@link #put(MetadataKind, String, byte[])}, for content read as a stream (an attachment): an
   * implementation that can stores it without holding it whole in memory.
   */
  default boolean put(MetadataKind kind, String id, java.io.InputStream content) throws java.io.IOException {
    return put(kind, id, content.readAllBytes());
  }

  /**
   * Records document {@code id} of {@code kind} as unchanged since the previous snapshot, without
   * reading it again.
   *
   * @return false when the previous snapshot has no such document (nothing is recorded then)
   */
  boolean keep(MetadataKind kind, String id);

  /**
   * Records every document of {@code kind} whose id starts with {@code idPrefix} as unchanged since
   * the previous snapshot (the files of a changeset, say, which never change once checked in).
   *
   * @return how many were recorded
   */
  int keepUnder(MetadataKind kind, String idPrefix);

  /**
   * Whether the previous snapshot holds document {@code id} of {@code kind} with exactly this
   * content. Records nothing: an exporter asks before reading what hangs off a document, and puts
   * the document after those parts, so a run cut short never leaves it without them.
   */
  boolean unchanged(MetadataKind kind, String id, byte[] content);

  /**
   * The content of document {@code id} of {@code kind} in the previous snapshot, if it has one: what
   * an incremental exporter starts from (a watermark, the attachments an item had).
   */
  default java.util.Optional<byte[]> previous(MetadataKind kind, String id) {
    return java.util.Optional.empty();
  }

  /** The ids of {@code kind} the previous snapshot holds (none without one). */
  default java.util.Set<String> previousIds(MetadataKind kind) {
    return java.util.Set.of();
  }

  /** Lists something as not backed up, with the reason a user reads. */
  void omit(String kind, String id, String reason);
}
