package dev.bunker.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.bunker.metadata.BlobStore;
import dev.bunker.metadata.BlobStoreException;
import java.util.List;
import java.util.Optional;

/**
 * Write-once blobs in one Azure Blob container (created on first use). "Create if absent" is a
 * conditional upload ({@code If-None-Match: *}), so racing writers never overwrite each other.
 */
public final class AzureBlobStore implements BlobStore {

  private final BlobContainerClient container;
  private volatile boolean containerReady;

  public AzureBlobStore(BlobContainerClient container) {
    this.container = container;
  }

  /** The container {@code containerName} of the account reached by connection string. */
  public static AzureBlobStore connect(String connectionString, String containerName) {
    return new AzureBlobStore(new BlobServiceClientBuilder().connectionString(connectionString)
        .buildClient().getBlobContainerClient(containerName));
  }

  @Override
  public boolean createIfAbsent(String name, byte[] content) {
    return createIfAbsent(name, BinaryData.fromBytes(content));
  }

  /** Streams {@code content} to storage in blocks (the SDK holds a few blocks, never the whole blob). */
  @Override
  public boolean createIfAbsent(String name, java.io.InputStream content, long length) {
    return createIfAbsent(name, BinaryData.fromStream(content, length));
  }

  /** Writes {@code content} unless the blob exists ({@code If-None-Match: *}); false when it did. */
  private boolean createIfAbsent(String name, BinaryData content) {
    ensureContainer();
    try {
      container.getBlobClient(name).uploadWithResponse(
          new BlobParallelUploadOptions(content).setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
          null, Context.NONE);
      return true;
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 409 || e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS
          || e.getStatusCode() == 412) {
        return false;
      }
      throw failure("write", name, e);
    } catch (RuntimeException e) {
      throw failure("write", name, e);
    }
  }

  @Override
  public Optional<byte[]> read(String name) {
    try {
      return Optional.of(container.getBlobClient(name).downloadContent().toBytes());
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", name, e);
    } catch (RuntimeException e) {
      throw failure("read", name, e);
    }
  }

  /** Read in ranges of 1 MiB as consumed (the SDK's default 4 MiB ranges are buffered more than once). */
  @Override
  public Optional<java.io.InputStream> open(String name) {
    try {
      return Optional.of(container.getBlobClient(name).openInputStream(
          new com.azure.storage.blob.options.BlobInputStreamOptions().setBlockSize(1024 * 1024)));
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", name, e);
    } catch (RuntimeException e) {
      throw failure("read", name, e);
    }
  }

  @Override
  public List<StoredBlob> list(String prefix) {
    try {
      return container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream()
          .map(AzureBlobStore::stored).sorted(java.util.Comparator.comparing(StoredBlob::name)).toList();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return List.of();
      }
      throw failure("list", prefix + "*", e);
    } catch (RuntimeException e) {
      throw failure("list", prefix + "*", e);
    }
  }

  @Override
  public boolean delete(String name) {
    try {
      return container.getBlobClient(name).deleteIfExists();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return false;
      }
      throw failure("delete", name, e);
    } catch (RuntimeException e) {
      throw failure("delete", name, e);
    }
  }

  private static StoredBlob stored(BlobItem item) {
    return new StoredBlob(item.getName(), item.getProperties().getContentLength(),
        item.getProperties().getLastModified().toInstant());
  }

  private void ensureContainer() {
    if (!containerReady) {
      container.createIfNotExists();
      containerReady = true;
    }
  }

  private BlobStoreException failure(String action, String name, RuntimeException e) {
    String reason = e instanceof BlobStorageException b ? b.getStatusCode() + " " + b.getErrorCode() : e.getClass().getSimpleName();
    return new BlobStoreException("cannot " + action + " blob " + name + " in container "
        + container.getBlobContainerName() + ": " + reason, e);
  }
}
