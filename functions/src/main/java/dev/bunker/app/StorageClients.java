package dev.bunker.app;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.azure.ExportBlobs;
import dev.bunker.azure.StorageRequests;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.store.GitStore;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The Azure Storage clients the settings point at: the app storage (tables, queues) and the backup
 * container, each by connection string locally or by managed identity in Azure, each request recorded
 * as a flight recorder event ({@link StorageRequests}); called by {@code App}.
 */
final class StorageClients {
  static final String DEFAULT_BACKUP_CONTAINER = "backups";

  private StorageClients() {}

  static TableServiceClient tables(Map<String, String> settings) {
    var connectionString = Setting.APP_STORAGE.from(settings);
    if (connectionString.isPresent()) {
      return new TableServiceClientBuilder().connectionString(connectionString.get())
          .addPolicy(StorageRequests.table()).buildClient();
    }
    String account = appStorageAccount(settings);
    return new TableServiceClientBuilder()
        .endpoint("https://" + account + ".table.core.windows.net")
        .credential(SecretWiring.managedIdentity(settings))
        .addPolicy(StorageRequests.table())
        .buildClient();
  }

  static QueueServiceClientBuilder queues(Map<String, String> settings) {
    var connectionString = Setting.APP_STORAGE.from(settings);
    if (connectionString.isPresent()) {
      return new QueueServiceClientBuilder().connectionString(connectionString.get())
          .addPolicy(StorageRequests.queue());
    }
    String account = appStorageAccount(settings);
    return new QueueServiceClientBuilder()
        .endpoint("https://" + account + ".queue.core.windows.net")
        .credential(SecretWiring.managedIdentity(settings))
        .addPolicy(StorageRequests.queue());
  }

  /** The backup container, the git store over it, and its downloads. */
  record BackupStorage(BlobServiceClient service, BlobContainerClient container, Blobs blobs, GitStore store,
      ExportBlobs exports) {}

  /**
   * The backup container ({@link Setting#BACKUP_CONTAINER}, created if missing) in the account of
   * {@link Setting#BACKUP_STORAGE} (connection string) or {@link
   * Setting#BACKUP_STORAGE_BLOB_SERVICE_URI} (managed identity); empty when neither is set.
   */
  static Optional<BackupStorage> backupStorage(Map<String, String> settings, Clock clock) {
    Optional<String> connectionString = Setting.BACKUP_STORAGE.from(settings);
    Optional<String> serviceUri = Setting.BACKUP_STORAGE_BLOB_SERVICE_URI.from(settings);
    if (connectionString.isEmpty() && serviceUri.isEmpty()) {
      return Optional.empty();
    }
    BlobServiceClient service = connectionString.isPresent()
        ? new BlobServiceClientBuilder().connectionString(connectionString.get()).addPolicy(StorageRequests.blob())
            .buildClient()
        : new BlobServiceClientBuilder().endpoint(serviceUri.get()).credential(SecretWiring.managedIdentity(settings))
            .addPolicy(StorageRequests.blob()).buildClient();
    BlobContainerClient container = service.getBlobContainerClient(
        Setting.BACKUP_CONTAINER.from(settings).orElse(DEFAULT_BACKUP_CONTAINER));
    if (!container.exists()) {
      container.createIfNotExists();
    }
    // links signed with the account key when storage is reached by connection string, with a user
    // delegation key when by managed identity
    ExportBlobs exports = connectionString.isPresent()
        ? ExportBlobs.signedWithAccountKey(container, clock)
        : ExportBlobs.signedWithUserDelegation(container, service, clock);
    Blobs blobs = new AzureBlobs(container);
    return Optional.of(new BackupStorage(service, container, blobs,
        GitStore.on(blobs, clock,
            GitStore.Options.defaults().withTransferTimeout(AppSettings.gitTransferTimeout(settings))),
        exports));
  }

  private static String appStorageAccount(Map<String, String> settings) {
    return Setting.APP_STORAGE_ACCOUNT_NAME.from(settings).orElseThrow(() -> new UnavailableException(
        "app storage is not configured: set " + Setting.APP_STORAGE.key() + " (connection string) or "
            + Setting.APP_STORAGE_ACCOUNT_NAME.key() + " (managed identity)"));
  }
}
