package dev.bunker.store.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobLeaseRequestConditions;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobAcquireLeaseOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link Blobs} over one Azure Blob Storage container (block blobs, leases, ETags). */
public final class AzureBlobs implements Blobs {
  private static final Set<BlobErrorCode> LEASE_ERRORS = Set.of(
      BlobErrorCode.LEASE_ALREADY_PRESENT, BlobErrorCode.LEASE_ID_MISSING,
      BlobErrorCode.LEASE_ID_MISMATCH_WITH_BLOB_OPERATION,
      BlobErrorCode.LEASE_ID_MISMATCH_WITH_LEASE_OPERATION,
      BlobErrorCode.LEASE_NOT_PRESENT_WITH_BLOB_OPERATION,
      BlobErrorCode.LEASE_NOT_PRESENT_WITH_LEASE_OPERATION, BlobErrorCode.LEASE_LOST,
      BlobErrorCode.LEASE_IS_BREAKING_AND_CANNOT_BE_ACQUIRED,
      BlobErrorCode.LEASE_IS_BREAKING_AND_CANNOT_BE_CHANGED,
      BlobErrorCode.LEASE_IS_BROKEN_AND_CANNOT_BE_RENEWED);

  private final BlobContainerClient container;

  public AzureBlobs(BlobContainerClient container) {
    this.container = container;
  }

  @Override
  public Optional<Blob> read(String name) throws IOException {
    try {
      var response = blob(name).downloadContentWithResponse(null, null, null, Context.NONE);
      return Optional.of(new Blob(response.getValue().toBytes(),
          response.getDeserializedHeaders().getETag()));
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public int read(String name, long offset, ByteBuffer dst) throws IOException {
    int wanted = dst.remaining();
    if (wanted == 0) {
      return 0;
    }
    int start = dst.position();
    try {
      blob(name).downloadStreamWithResponse(new OutputStream() {
        @Override
        public void write(int b) {
          dst.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          dst.put(b, off, len);
        }
      }, new BlobRange(offset, (long) wanted), null, null, false, null, Context.NONE);
      int n = dst.position() - start;
      return n == 0 ? -1 : n; // Azurite answers a range past the end with no bytes, Azure with 416
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 416) {
        return -1;
      }
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public String write(String name, byte[] data, Condition condition, String leaseId)
      throws IOException {
    try {
      return blob(name).getBlockBlobClient().uploadWithResponse(
          new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(data))
              .setRequestConditions(conditions(condition, leaseId)),
          null, Context.NONE)
          .getValue().getETag();
    } catch (BlobStorageException e) {
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  private static BlobRequestConditions conditions(Condition condition, String leaseId) {
    BlobRequestConditions conditions = new BlobRequestConditions().setLeaseId(leaseId);
    if (condition instanceof Condition.Absent) {
      conditions.setIfNoneMatch("*");
    } else if (condition instanceof Condition.Matching m) {
      conditions.setIfMatch(m.etag());
    }
    return conditions;
  }

  @Override
  public void stageBlock(String name, String blockId, byte[] data, int length) throws IOException {
    try {
      blob(name).getBlockBlobClient().stageBlockWithResponse(new BlockBlobStageBlockOptions(
          blockId, BinaryData.fromBytes(
              length == data.length ? data : Arrays.copyOf(data, length))),
          null, Context.NONE);
    } catch (BlobStorageException e) {
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public void commitBlocks(String name, List<String> blockIds, Condition condition)
      throws IOException {
    try {
      blob(name).getBlockBlobClient().commitBlockListWithResponse(
          new BlockBlobCommitBlockListOptions(blockIds)
              .setRequestConditions(conditions(condition, null)),
          null, Context.NONE);
    } catch (BlobStorageException e) {
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    try {
      List<BlobInfo> result = new ArrayList<>();
      for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
        result.add(new BlobInfo(item.getName(), item.getProperties().getContentLength(),
            item.getProperties().getLastModified().toInstant(),
            item.getProperties().getLeaseState() == LeaseStateType.LEASED));
      }
      return result;
    } catch (BlobStorageException e) {
      if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
        return List.of(); // nothing was written yet
      }
      throw translate(prefix, e);
    } catch (RuntimeException e) {
      throw io(prefix, e);
    }
  }

  @Override
  public boolean delete(String name) throws IOException {
    try {
      return blob(name).deleteIfExists();
    } catch (BlobStorageException e) {
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public String acquireLease(String name, Duration duration, Condition condition) throws IOException {
    Condition.requireLeasable(condition);
    BlobLeaseRequestConditions conditions = new BlobLeaseRequestConditions();
    if (condition instanceof Condition.Matching m) {
      conditions.setIfMatch(m.etag());
    }
    try {
      return new BlobLeaseClientBuilder().blobClient(blob(name)).buildClient()
          .acquireLeaseWithResponse(new BlobAcquireLeaseOptions((int) duration.toSeconds())
              .setRequestConditions(conditions), null, Context.NONE)
          .getValue();
    } catch (BlobStorageException e) {
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public void renewLease(String name, String leaseId) throws IOException {
    try {
      new BlobLeaseClientBuilder().blobClient(blob(name)).leaseId(leaseId).buildClient()
          .renewLease();
    } catch (BlobStorageException e) {
      throw translate(name, e);
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  @Override
  public void releaseLease(String name, String leaseId) throws IOException {
    try {
      new BlobLeaseClientBuilder().blobClient(blob(name)).leaseId(leaseId).buildClient()
          .releaseLease();
    } catch (BlobStorageException e) {
      if (!LEASE_ERRORS.contains(e.getErrorCode()) && e.getStatusCode() != 404) {
        throw translate(name, e);
      }
    } catch (RuntimeException e) {
      throw io(name, e);
    }
  }

  private BlobClient blob(String name) {
    return container.getBlobClient(name);
  }

  private IOException translate(String name, BlobStorageException e) {
    String what = "blob " + name + " in container " + container.getBlobContainerName();
    BlobErrorCode code = e.getErrorCode();
    if (LEASE_ERRORS.contains(code)) {
      return new LeaseLostException(what + ": " + code, e);
    }
    if (e.getStatusCode() == 412 || code == BlobErrorCode.BLOB_ALREADY_EXISTS) {
      return new ConditionFailedException(what + " was changed by another writer", e);
    }
    if (e.getStatusCode() == 404) {
      return new BlobNotFoundException(what + " does not exist", e);
    }
    return new IOException(what + ": storage answered " + e.getStatusCode() + " " + code, e);
  }

  private IOException io(String name, RuntimeException e) {
    if (Thread.currentThread().isInterrupted()) {
      InterruptedIOException interrupted = new InterruptedIOException("interrupted on " + name);
      interrupted.initCause(e);
      return interrupted;
    }
    return new IOException("blob " + name + " in container " + container.getBlobContainerName()
        + ": " + e.getMessage(), e);
  }
}
