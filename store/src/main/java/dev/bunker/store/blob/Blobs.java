package dev.bunker.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The few blob operations the git store needs, over one container. Implementations: Azure Blob
 * ({@link AzureBlobs}), process memory ({@link InMemoryBlobs}); tests wrap them in fault-injecting
 * decorators. Names are paths inside the container ({@code orgs/1/repos/2/manifest.json}).
 *
 * <p>Contract, which both implementations honour and the store relies on:
 *
 * <ul>
 *   <li>{@link #write} with a {@link Condition} is atomic: it either replaces the blob or fails with
 *       {@link ConditionFailedException}, never overwriting a blob changed by someone else.
 *   <li>A blob with an active lease can only be written with that lease id; a write with a lease
 *       id that is no longer active fails with {@link LeaseLostException}.
 *   <li>Staged blocks are invisible until {@link #commitBlocks}; committing again with a longer
 *       list (the earlier ids first) extends the blob.
 * </ul>
 */
public interface Blobs {

  /** The whole blob and its version tag, or empty when it does not exist. */
  Optional<Blob> read(String name) throws IOException;

  /**
   * Reads up to {@code dst.remaining()} bytes starting at {@code offset} (one ranged GET). Returns
   * the number of bytes read, fewer only at the end of the blob, -1 when offset is at or past the
   * end.
   *
   * @throws BlobNotFoundException when the blob does not exist
   */
  int read(String name, long offset, ByteBuffer dst) throws IOException;

  /**
   * Writes the whole blob in one request and returns its new version tag.
   *
   * @param leaseId the lease held on the blob, or null
   * @throws ConditionFailedException when {@code condition} does not hold
   * @throws LeaseLostException when the blob is leased by someone else or {@code leaseId} expired
   */
  String write(String name, byte[] data, Condition condition, String leaseId) throws IOException;

  /** Uploads one block of a blob being written (Put Block); invisible until committed. */
  void stageBlock(String name, String blockId, byte[] data, int length) throws IOException;

  /** Makes the blob consist of these blocks, in order (Put Block List). */
  void commitBlocks(String name, List<String> blockIds) throws IOException;

  /** Blobs whose names start with {@code prefix}. */
  List<BlobInfo> list(String prefix) throws IOException;

  /** Deletes a blob; a missing blob is not an error. */
  void delete(String name) throws IOException;

  /**
   * Takes a lease on an existing blob for {@code duration}.
   *
   * @return the lease id
   * @throws LeaseLostException when someone else holds an active lease (the name says it all: the
   *     caller did not get it)
   */
  String acquireLease(String name, Duration duration) throws IOException;

  /** Extends a lease; fails with {@link LeaseLostException} when it is no longer ours. */
  void renewLease(String name, String leaseId) throws IOException;

  /** Gives a lease up; a lease already lost is not an error. */
  void releaseLease(String name, String leaseId) throws IOException;

  /** Content and version tag of a blob. */
  record Blob(byte[] data, String etag) {}

  /** A listed blob. */
  record BlobInfo(String name, long size, Instant lastModified) {}

  /** Precondition of a whole-blob write. */
  sealed interface Condition {
    /** No precondition (blobs with unique names, written once). */
    Condition NONE = new None();
    /** Only when the blob does not exist yet ({@code If-None-Match: *}). */
    Condition ABSENT = new Absent();

    /** Only when the blob still has this version tag ({@code If-Match}). */
    static Condition matching(String etag) {
      return new Matching(etag);
    }

    record None() implements Condition {}

    record Absent() implements Condition {}

    record Matching(String etag) implements Condition {}
  }
}
