package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import dev.bunker.core.SecretStore;
import dev.bunker.core.SecretStoreContract;
import dev.bunker.core.SecretStoreException;
import dev.bunker.testing.FakeKeyVault;
import dev.bunker.testing.SelfSignedCertificate;
import dev.bunker.testing.TrustingHttpClient;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The real {@code SecretClient} against a Key-Vault-compatible HTTPS server. */
class KeyVaultSecretStoreTest extends SecretStoreContract {
  private static final String TOKEN = "vault-access-token";
  private static FakeKeyVault vault;
  private static KeyVaultSecretStore store;

  @BeforeAll
  static void startVault() {
    SelfSignedCertificate certificate = SelfSignedCertificate.forLocalhost();
    vault = new FakeKeyVault(certificate, TOKEN);
    // Entra ID cannot run here: the managed identity's token is a fixed one.
    TokenCredential identity = request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    store = KeyVaultSecretStore.connect(vault.vaultUri(), identity, TrustingHttpClient.trusting(certificate));
  }

  @AfterAll
  static void stopVault() {
    vault.close();
  }

  @Override
  protected SecretStore store() {
    return store;
  }

  @Test
  void storingADeletedNameRecoversItFirst() {
    String name = uniqueName("recovered");
    store.put(name, "old");
    store.delete(name);
    assertThat(vault.isSoftDeleted(name)).isTrue();

    store.put(name, "new");

    assertThat(vault.requests()).contains("POST /deletedsecrets/" + name + "/recover");
    assertThat(store.get(name)).contains("new");
  }

  @Test
  void aForbiddenVaultSaysWhichSecretAndNeverItsValue() {
    String name = uniqueName("forbidden");
    vault.forbidNext(1);
    assertThatThrownBy(() -> store.put(name, "forbidden-secret-value"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("403")
        .hasMessageNotContaining("forbidden-secret-value");
    vault.forbidNext(1);
    assertThatThrownBy(() -> store.get(name))
        .isInstanceOf(SecretStoreException.class)
        .hasMessage("could not read secret '" + name + "': Key Vault answered HTTP 403");
  }

  @Test
  void anUnreachableVaultIsAClearError() {
    SelfSignedCertificate other = SelfSignedCertificate.forLocalhost();
    TokenCredential identity = request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    // The server's certificate is not the one this client trusts.
    KeyVaultSecretStore untrusting = KeyVaultSecretStore.connect(vault.vaultUri(), identity, TrustingHttpClient.trusting(other));
    assertThatThrownBy(() -> untrusting.get("any-name"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageStartingWith("could not read secret 'any-name': Key Vault could not be reached");
  }
}
