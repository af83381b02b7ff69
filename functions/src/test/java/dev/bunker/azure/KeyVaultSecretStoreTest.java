package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.core.SecretStoreContract;
import dev.bunker.core.model.SecretStoreException;
import dev.bunker.core.port.SecretStore;
import dev.bunker.testing.FakeKeyVault;
import dev.bunker.testing.MockEntraId;
import dev.bunker.testing.SelfSignedCertificate;
import dev.bunker.testing.TrustingHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
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
  void authenticatesWithAServicePrincipalThroughEntraId() {
    // azure-identity (MSAL) fetches the vault token from an Entra-compatible authority; the vault
    // accepts only tokens that authority issued for Key Vault.
    SelfSignedCertificate certificate = SelfSignedCertificate.forLocalhost();
    try (MockEntraId entra = new MockEntraId(certificate);
        FakeKeyVault entraVault = new FakeKeyVault(certificate, token -> issuedFor(token, entra))) {
      HttpClient http = TrustingHttpClient.trusting(certificate);
      TokenCredential servicePrincipal = new ClientSecretCredentialBuilder()
          .authorityHost(entra.authority().resolve("/").toString())
          .tenantId(MockEntraId.TENANT)
          .clientId("bunker-identity")
          .clientSecret("service-principal-secret")
          .disableInstanceDiscovery()
          .httpClient(http)
          .build();
      KeyVaultSecretStore viaEntra = KeyVaultSecretStore.connect(entraVault.vaultUri(), servicePrincipal, http);

      viaEntra.put("pat-contoso", "pat-value");

      assertThat(viaEntra.get("pat-contoso")).contains("pat-value");
    }
  }

  private static boolean issuedFor(String token, MockEntraId entra) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims.path("iss").asText().startsWith(entra.authority().toString())
          && claims.path("aud").toString().contains("https://vault.azure.net");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void anUnreachableVaultIsAClearError() {
    SelfSignedCertificate other = SelfSignedCertificate.forLocalhost();
    TokenCredential identity = request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    // The server's certificate is not the one this client trusts; no retries, to keep the test short.
    KeyVaultSecretStore untrusting = new KeyVaultSecretStore(new SecretClientBuilder()
        .vaultUrl(vault.vaultUri().toString())
        .credential(identity)
        .httpClient(TrustingHttpClient.trusting(other))
        .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
        .disableChallengeResourceVerification()
        .buildClient());
    assertThatThrownBy(() -> untrusting.get("any-name"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageStartingWith("could not read secret 'any-name': Key Vault could not be reached");
  }
}
