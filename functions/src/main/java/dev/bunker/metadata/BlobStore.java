package dev.bunker.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named, write-once byte blobs under one container: where metadata objects and snapshot manifests
 * live. Implementations: Azure Blob ({@code dev.bunker.azure.AzureBlobStore}) and an in-memory twin
 * for tests; both pass one contract suite.
 */
public interface BlobStore {

  /**
   * Stores {@code content} under {@code name} unless a blob of that name already exists (which is
   * then left as it is). Safe to repeat and to race.
   *
   * @return true when this call wrote the blob
   * @throws BlobStoreException when storage cannot be reached or refuses the write
   */
  boolean createIfAbsent(String name, byte[] content);

  /**
   * As {@link #createIfAbsent(String, byte[])}, from a stream of {@code length} bytes, for content
   * too large to hold in memory (an implementation that can, streams it to storage).
   */
  default boolean createIfAbsent(String name, java.io.InputStream content, long length) {
    try {
      return createIfAbsent(name, content.readNBytes(Math.toIntExact(length)));
    } catch (java.io.IOException e) {
      throw new BlobStoreException("cannot read the content of blob " + name, e);
    }
  }

  /** The blob's content, or empty when there is none of that name. */
  Optional<byte[]> read(String name);

  /**
   * The blob's content as a stream read as it is consumed, or empty when there is none of that
   * name (for content too large to hold in memory; an implementation that can, streams it).
   */
  default Optional<java.io.InputStream> open(String name) {
    return read(name).map(java.io.ByteArrayInputStream::new);
  }

  /** The blobs whose name starts with {@code prefix}, in lexicographic order of name. */
  List<StoredBlob> list(String prefix);

  /**
   * Deletes blob {@code name}; nothing happens when there is none. Only garbage collection deletes.
   *
   * @return true when this call deleted it
   */
  boolean delete(String name);

  /** A blob as listed: name, size in bytes, and when it was written. */
  record StoredBlob(String name, long size, Instant lastModified) {}
}
