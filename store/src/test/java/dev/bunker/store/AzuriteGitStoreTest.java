package dev.bunker.store;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.testing.ManualClock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The contract against the Azure Blob adapter and the real Azure SDK, talking to Azurite. */
class AzuriteGitStoreTest extends GitStoreContract {
  private static BlobServiceClient service;

  static synchronized BlobServiceClient service() {
    if (service == null) {
      service = new BlobServiceClientBuilder()
          .connectionString(Azurite.shared().connectionString()).buildClient();
    }
    return service;
  }

  @Override
  Blobs newBlobs(ManualClock clock) {
    return new AzureBlobs(service().createBlobContainer("store-" + UUID.randomUUID()));
  }

  @Override
  Instant start() {
    // Azurite stamps blobs with the wall clock; the orphan sweeper compares against the store's.
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
