package dev.bunker.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named byte blobs in one container: where git packs and manifests, metadata objects and
 * snapshots, lock blobs and restore ledgers live. Names are paths inside the container
 * ({@code orgs/1/repos/2/manifest.json}). Implementations: Azure Blob ({@link AzureBlobs}),
 * process memory ({@link InMemoryBlobs}); tests wrap them in fault-injecting decorators. Both pass
 * one contract suite ({@code BlobsContract} in the store's tests), which pins every guarantee
 * below.
 *
 * <p>Guarantees the store and the metadata store rely on:
 *
 * <ul>
 *   <li><b>Atomic puts.</b> A {@link #write} or {@link #commitBlocks} either makes the whole new
 *       content visible or changes nothing: a reader sees the old content or the new, never a mix
 *       or a prefix. Staged blocks are invisible until committed; committing again with a longer
 *       list (the earlier ids first) extends the blob.
 *   <li><b>Conditional create and replace.</b> With {@link Condition#ABSENT} a put succeeds only
 *       when no blob of that name exists, and of racing creators exactly one succeeds; with
 *       {@link Condition#matching} only while the blob still has that version tag. A put whose
 *       condition does not hold fails with {@link ConditionFailedException} and changes nothing.
 *   <li><b>Read after write, list after write.</b> Once a put or delete returned, every later
 *       {@link #read} and {@link #list} (from any process) sees it. Listings are in lexicographic
 *       order of name.
 *   <li><b>Leases.</b> A lease makes one holder the only writer of a blob for its duration, unless
 *       renewed; once it lapses anyone may take it. While a blob is leased, a put without that
 *       lease id fails with {@link LeaseLostException}, and so does a put or renewal with a lease
 *       id that is no longer the active one. The holder of a lapsed lease may renew it as long as
 *       nobody took it meanwhile. A lease survives writes of its blob.
 *   <li><b>What failures mean.</b> {@link BlobNotFoundException}: the blob does not exist (reads
 *       of whole blobs answer empty instead). {@link ConditionFailedException}: someone else
 *       created or changed the blob first. {@link LeaseLostException}: someone else holds the
 *       lease, or ours is gone. Any other {@link IOException}: storage did not answer (network,
 *       throttling); the operation may or may not have taken effect, and repeating it is safe.
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

  /**
   * Uploads one block of a blob being written (Put Block); invisible until committed. Block ids of
   * one blob have the same length.
   */
  void stageBlock(String name, String blockId, byte[] data, int length) throws IOException;

  /**
   * Makes the blob consist of these blocks, in order (Put Block List): staged ones, or blocks the
   * blob already consists of. Staged blocks it does not name are discarded.
   *
   * @throws ConditionFailedException when {@code condition} does not hold
   */
  void commitBlocks(String name, List<String> blockIds, Condition condition) throws IOException;

  /** Blobs whose names start with {@code prefix}, in lexicographic order of name. */
  List<BlobInfo> list(String prefix) throws IOException;

  /**
   * Deletes a blob; a missing blob is not an error.
   *
   * @return true when this call deleted it
   * @throws LeaseLostException when the blob is leased
   */
  boolean delete(String name) throws IOException;

  /**
   * Takes a lease on an existing blob for {@code duration}.
   *
   * @return the lease id
   * @throws LeaseLostException when someone else holds an active lease (the name says it all: the
   *     caller did not get it)
   * @throws BlobNotFoundException when the blob does not exist
   */
  default String acquireLease(String name, Duration duration) throws IOException {
    return acquireLease(name, duration, Condition.NONE);
  }

  /**
   * Takes a lease on an existing blob for {@code duration}, with {@link Condition#matching} only
   * while the blob still has that version tag (Lease Blob takes conditional headers, as a put
   * does). Taking, renewing or releasing a lease leaves the version tag as it was: a writer that
   * read a blob and then took its lease on that version holds the version it read.
   *
   * @return the lease id
   * @throws ConditionFailedException when {@code condition} does not hold
   * @throws LeaseLostException when someone else holds an active lease
   * @throws BlobNotFoundException when the blob does not exist
   * @throws IllegalArgumentException for {@link Condition#ABSENT}, which a lease can never meet
   */
  String acquireLease(String name, Duration duration, Condition condition) throws IOException;

  /** Extends a lease; fails with {@link LeaseLostException} when it is no longer ours. */
  void renewLease(String name, String leaseId) throws IOException;

  /** Gives a lease up; a lease already lost is not an error. */
  void releaseLease(String name, String leaseId) throws IOException;

  /** Content and version tag of a blob. */
  record Blob(byte[] data, String etag) {}

  /** A listed blob; {@code leased} when someone holds an active lease on it. */
  record BlobInfo(String name, long size, Instant lastModified, boolean leased) {}

  /** Precondition of a put. */
  sealed interface Condition {
    /** No precondition (blobs with unique names, written once). */
    Condition NONE = new None();
    /** Only when the blob does not exist yet ({@code If-None-Match: *}). */
    Condition ABSENT = new Absent();

    /** Only when the blob still has this version tag ({@code If-Match}). */
    static Condition matching(String etag) {
      return new Matching(etag);
    }

    /** Refuses {@link #ABSENT} for a lease, which is only ever taken on a blob that exists. */
    static void requireLeasable(Condition condition) {
      if (condition instanceof Absent) {
        throw new IllegalArgumentException("a lease is taken on a blob that exists");
      }
    }

    record None() implements Condition {}

    record Absent() implements Condition {}

    record Matching(String etag) implements Condition {}
  }
}
