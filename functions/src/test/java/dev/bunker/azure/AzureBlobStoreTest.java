package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.azurite.Azurite;
import dev.bunker.metadata.BlobStore;
import dev.bunker.metadata.BlobStoreContract;
import dev.bunker.metadata.BlobStoreException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Azure Blob adapter against Azurite, through the real SDK client. */
class AzureBlobStoreTest extends BlobStoreContract {

  private static String uniqueContainer() {
    return "meta-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  @Override
  protected BlobStore newStore() {
    return AzureBlobStore.connect(Azurite.shared().connectionString(), uniqueContainer());
  }

  @Test
  void listingAContainerNotYetCreatedIsEmpty() {
    assertThat(newStore().list("orgs/")).isEmpty();
  }

  @Test
  void failuresNameTheBlobButNotTheAccountKey() {
    String connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
    BlobStore unreachable = new AzureBlobStore(new com.azure.storage.blob.BlobServiceClientBuilder()
        .connectionString(connection)
        .retryOptions(new com.azure.storage.common.policy.RequestRetryOptions(
            com.azure.storage.common.policy.RetryPolicyType.FIXED, 1, 2, 10L, 10L, null))
        .buildClient().getBlobContainerClient("meta"));
    assertThatThrownBy(() -> unreachable.read("orgs/o/meta/objects/abc"))
        .isInstanceOf(BlobStoreException.class)
        .hasMessageContaining("orgs/o/meta/objects/abc")
        .message().doesNotContain("Eby8vdM02x");
  }
}
