package dev.bunker.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.bunker.hash.Sha256;
import dev.bunker.store.LfsPointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Git LFS objects of an organization in the backup container, each once by its sha-256:
 * <pre>
 *   orgs/&lt;orgId&gt;/lfs/&lt;sha256&gt;                                the object
 *   orgs/&lt;orgId&gt;/lfs-index/&lt;repoId&gt;/&lt;snapshotId&gt;          the pointers a snapshot holds (oid, size, and
 *                                                            "unavailable" when the server could not give it)
 *   orgs/&lt;orgId&gt;/lfs-locks/                                   lease blobs keeping backups and collection apart
 * </pre>
 * An object is written as it streams in, in blocks of {@value #BLOCK} bytes staged one after the
 * other (one block in memory, however large the object), and committed, under its name and only if
 * absent, once its size and sha-256 match the pointer: a blob of that name is always the object.
 * Garbage collection deletes the objects no snapshot index names, after a grace period.
 */
public final class LfsObjects {
  /** Bytes staged per block: what an upload holds in memory. */
  static final int BLOCK = 4 * 1024 * 1024;

  /** Bytes read per ranged GET when an object is read back (the SDK's default of 4 MiB is buffered more than once). */
  static final int READ_RANGE = 1024 * 1024;

  /** Where the organization's lock blobs live under {@code orgs/<orgId>/} (see {@link dev.bunker.core.retention.CollectorLocks}). */
  static final String LOCKS = "lfs-locks";

  /** The mark of an index line whose object the server could not give: a later backup asks again. */
  private static final String UNAVAILABLE = "unavailable";

  private final BlobContainerClient container;

  public LfsObjects(BlobContainerClient container) {
    this.container = container;
  }

  /** Where an LFS object of an organization is kept. */
  public static String blobName(String organizationId, String oid) {
    return "orgs/" + organizationId + "/lfs/" + oid;
  }

  static String indexName(String organizationId, String repositoryId, String snapshotId) {
    return indexPrefix(organizationId) + repositoryId + "/" + snapshotId;
  }

  private static String indexPrefix(String organizationId) {
    return "orgs/" + organizationId + "/lfs-index/";
  }

  public boolean exists(String organizationId, String oid) {
    return container.getBlobClient(blobName(organizationId, oid)).exists();
  }

  /** What storing one object came to. */
  public enum Outcome { STORED, ALREADY_STORED, MISMATCH }

  /**
   * Streams {@code content} into the object of {@code pointer}; it is kept only when its size and
   * sha-256 are the pointer's (else {@link Outcome#MISMATCH}, and nothing is visible).
   */
  public Outcome store(String organizationId, LfsPointer pointer, InputStream content) throws IOException {
    BlockBlobClient blob = container.getBlobClient(blobName(organizationId, pointer.oid())).getBlockBlobClient();
    MessageDigest sha256 = Sha256.newDigest();
    byte[] buffer = new byte[(int) Math.min(BLOCK, Math.max(1, pointer.size()))];
    List<String> blocks = new ArrayList<>();
    long total = 0;
    while (true) {
      int read = content.readNBytes(buffer, 0, buffer.length);
      if (read == 0) {
        break;
      }
      total += read;
      if (total > pointer.size()) {
        return Outcome.MISMATCH;
      }
      sha256.update(buffer, 0, read);
      // Fixed-width ids: every writer of this content-addressed blob stages the same bytes under the same id.
      String id = Base64.getEncoder().encodeToString(String.format("%010d", blocks.size())
          .getBytes(StandardCharsets.US_ASCII));
      blob.stageBlock(id, BinaryData.fromByteBuffer(ByteBuffer.wrap(buffer, 0, read)));
      blocks.add(id);
    }
    if (total != pointer.size() || !HexFormat.of().formatHex(sha256.digest()).equals(pointer.oid())) {
      return Outcome.MISMATCH;
    }
    try {
      blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blocks)
          .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, Context.NONE);
      return Outcome.STORED;
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 409 || e.getStatusCode() == 412
          || e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS) {
        return Outcome.ALREADY_STORED; // stored meanwhile by a backup of another repository
      }
      throw e;
    }
  }

  /** The object's bytes as a stream, read from storage in ranges of {@value #READ_RANGE} bytes as it is consumed. */
  public InputStream open(String organizationId, String oid) {
    return container.getBlobClient(blobName(organizationId, oid))
        .openInputStream(new BlobInputStreamOptions().setBlockSize(READ_RANGE));
  }

  /**
   * What a snapshot's index says: the pointers it holds, and those whose objects the server could not
   * give when it was backed up (none in an index older than that mark).
   */
  public record Index(Set<LfsPointer> pointers, Set<LfsPointer> unavailable) {
    /** The index of a snapshot that names no pointer. */
    public static final Index NONE = new Index(Set.of(), Set.of());

    /** Whether it names no pointer at all. */
    public boolean isEmpty() {
      return pointers.isEmpty();
    }
  }

  /** The index of snapshot {@code snapshotId} of a repository, if it was written. */
  public Optional<Index> readIndex(String organizationId, String repositoryId, String snapshotId) {
    return indexLines(organizationId, repositoryId, snapshotId).map(lines -> new Index(pointers(lines, line -> true),
        pointers(lines, line -> line.length > 2 && line[2].equals(UNAVAILABLE))));
  }

  /**
   * Records the pointers a snapshot holds, one {@code <oid> <size>} a line, marked {@code <oid> <size>
   * unavailable} for those in {@code unavailable} (a snapshot never changes).
   */
  public void writeIndex(String organizationId, String repositoryId, String snapshotId,
      Collection<LfsPointer> pointers, Set<LfsPointer> unavailable) {
    Set<String> lines = new TreeSet<>();
    pointers.forEach(pointer -> lines.add(pointer.oid() + " " + pointer.size()
        + (unavailable.contains(pointer) ? " " + UNAVAILABLE : "")));
    String text = String.join("\n", lines) + "\n";
    container.getBlobClient(indexName(organizationId, repositoryId, snapshotId)).upload(BinaryData.fromString(text),
        true);
  }

  private Optional<List<String[]>> indexLines(String organizationId, String repositoryId, String snapshotId) {
    try {
      String text = container.getBlobClient(indexName(organizationId, repositoryId, snapshotId)).downloadContent()
          .toString();
      return Optional.of(text.lines().filter(line -> !line.isBlank()).map(line -> line.split(" ")).toList());
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Set<LfsPointer> pointers(List<String[]> lines, Predicate<String[]> which) {
    Set<LfsPointer> pointers = new HashSet<>();
    lines.stream().filter(which).forEach(parts -> pointers.add(new LfsPointer(parts[0], Long.parseLong(parts[1]))));
    return pointers;
  }

  public void forgetIndex(String organizationId, String repositoryId, String snapshotId) {
    container.getBlobClient(indexName(organizationId, repositoryId, snapshotId)).deleteIfExists();
  }

  /** What a garbage collection found and removed. */
  public record Collected(int indexes, int referenced, int deleted, long bytesFreed) {}

  /**
   * Deletes the organization's LFS objects that no snapshot index names and that were written
   * before {@code writtenBefore} (the grace period covers backups still running).
   */
  public Collected collectGarbage(String organizationId, Instant writtenBefore) {
    Set<String> referenced = new HashSet<>();
    int indexes = 0;
    for (BlobItem index : container.listBlobs(new ListBlobsOptions().setPrefix(indexPrefix(organizationId)), null)) {
      container.getBlobClient(index.getName()).downloadContent().toString().lines()
          .filter(line -> !line.isBlank()).forEach(line -> referenced.add(line.split(" ")[0]));
      indexes++;
    }
    String prefix = blobName(organizationId, "");
    int deleted = 0;
    long freed = 0;
    for (BlobItem object : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      String oid = object.getName().substring(prefix.length());
      if (!referenced.contains(oid) && object.getProperties().getLastModified().toInstant().isBefore(writtenBefore)
          && container.getBlobClient(object.getName()).deleteIfExists()) {
        deleted++;
        freed += object.getProperties().getContentLength();
      }
    }
    return new Collected(indexes, referenced.size(), deleted, freed);
  }
}
