package dev.bunker.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.Leases;
import dev.bunker.core.LeasesContract;
import java.util.UUID;

/** Blob leases against Azurite, through the real SDK client. */
class BlobLeasesTest extends LeasesContract {
  @Override
  protected Leases newLeases() {
    BlobContainerClient container = new BlobServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).buildClient()
        .getBlobContainerClient("leases-" + UUID.randomUUID().toString().substring(0, 8));
    container.createIfNotExists();
    return new BlobLeases(container);
  }
}
