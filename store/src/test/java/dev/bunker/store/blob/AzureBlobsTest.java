package dev.bunker.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.bunker.azurite.Azurite;
import dev.bunker.testing.ManualClock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Azure Blob adapter against Azurite, through the real SDK client. */
class AzureBlobsTest extends BlobsContract {

  private static com.azure.storage.blob.BlobServiceClient service() {
    return new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString())
        .buildClient();
  }

  @Override
  protected Blobs newBlobs(ManualClock clock) {
    return new AzureBlobs(service().createBlobContainer("blobs-" + UUID.randomUUID()));
  }

  @Override
  protected boolean leasesFollowTheManualClock() {
    return false; // Azurite's leases run on its own clock
  }

  @Test
  void listingAContainerNotYetCreatedIsEmpty() throws Exception {
    Blobs notCreated = new AzureBlobs(service().getBlobContainerClient("none-" + UUID.randomUUID()));
    assertThat(notCreated.list("orgs/")).isEmpty();
  }

  @Test
  void failuresNameTheBlobButNotTheAccountKey() {
    String connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
    Blobs unreachable = new AzureBlobs(new BlobServiceClientBuilder().connectionString(connection)
        .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, 2, 10L, 10L, null))
        .buildClient().getBlobContainerClient("meta"));
    assertThatThrownBy(() -> unreachable.read("orgs/o/meta/objects/abc"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("orgs/o/meta/objects/abc")
        .message().doesNotContain("Eby8vdM02x");
  }
}
