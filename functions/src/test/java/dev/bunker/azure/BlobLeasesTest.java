package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.LeasesContract;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.port.Leases;
import dev.bunker.store.blob.AzureBlobs;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Blob leases against Azurite, through the real SDK client. */
class BlobLeasesTest extends LeasesContract {
  private final BlobContainerClient container = new BlobServiceClientBuilder()
      .connectionString(Azurite.shared().connectionString()).buildClient()
      .getBlobContainerClient("leases-" + UUID.randomUUID().toString().substring(0, 8));

  @Override
  protected Leases newLeases() {
    container.createIfNotExists();
    return new BlobLeases(new AzureBlobs(container), Clock.systemUTC());
  }

  @Test
  void aHolderWhoseLeaseWasBrokenLearnsItAtOnce() {
    container.createIfNotExists();
    try (Leases.Held held = new BlobLeases(new AzureBlobs(container), Clock.systemUTC(), BrokenLeases.RENEW_EVERY)
        .take("locks/writer-1").orElseThrow()) {
      held.ensureHeld();

      BrokenLeases.breakAndAwaitRenewal(container.getBlobClient("locks/writer-1"));

      assertThatThrownBy(held::ensureHeld).isInstanceOf(UnavailableException.class)
          .hasMessageContaining("locks/writer-1").hasMessageContaining("refused its renewal");
    }
  }
}
