package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.azure.KeyVaultSecretStore;
import dev.bunker.azure.LocalFileSecretStore;
import dev.bunker.core.oauth.OAuthSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretWiringTest {
  @TempDir
  Path dataDir;

  @Test
  void withoutAVaultSecretsGoToTheLocalFile() {
    var store = SecretWiring.secretStore(Map.of(), dataDir, () -> {
      throw new AssertionError("no credential is needed locally");
    });
    assertThat(store).isInstanceOf(LocalFileSecretStore.class);
    assertThat(((LocalFileSecretStore) store).file()).isEqualTo(dataDir.resolve("secrets.json"));
  }

  @Test
  void inAzureAVaultIsRequired() {
    assertThatThrownBy(() -> SecretWiring.secretStore(Map.of("WEBSITE_SITE_NAME", "bunker"), dataDir, () -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KEY_VAULT_URI");
  }

  @Test
  void withAVaultSecretsGoToKeyVault() {
    var store = SecretWiring.secretStore(Map.of("KEY_VAULT_URI", "https://bunker-kv.vault.azure.net/"), dataDir,
        () -> request -> reactor.core.publisher.Mono.empty());
    assertThat(store).isInstanceOf(KeyVaultSecretStore.class);
    assertThatThrownBy(() -> SecretWiring.secretStore(Map.of("KEY_VAULT_URI", "http://vault"), dataDir, () -> null))
        .hasMessageContaining("https");
  }

  @Test
  void oauthIsOffWithoutAClientId() {
    assertThat(SecretWiring.oauthSettings(Map.of("OAUTH_TENANT_ID", "x"))).isEmpty();
  }

  @Test
  void oauthSettingsComeFromTheSettingsWithDefaults() {
    OAuthSettings settings = SecretWiring.oauthSettings(Map.of(
        "OAUTH_CLIENT_ID", "11111111-2222-3333-4444-555555555555",
        "OAUTH_TENANT_ID", "contoso.onmicrosoft.com",
        "OAUTH_REDIRECT_URI", "https://bunker.azurewebsites.net/api/oauth/callback")).orElseThrow();

    assertThat(settings.authorizeEndpoint())
        .isEqualTo(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"));
    assertThat(settings.tokenEndpoint())
        .isEqualTo(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
    assertThat(settings.clientSecretName()).isEqualTo("oauth-client-secret");
    assertThat(settings.stateSigningSecretName()).isEqualTo("oauth-state-signing-key");
    assertThat(settings.appOrigin()).isEqualTo("https://bunker.azurewebsites.net");
  }

  @Test
  void anAuthorityOverridesTheTenant() {
    OAuthSettings settings = SecretWiring.oauthSettings(Map.of(
        "OAUTH_CLIENT_ID", "app", "OAUTH_TENANT_ID", "ignored", "OAUTH_AUTHORITY", "http://localhost:8080/test-tenant",
        "OAUTH_REDIRECT_URI", "http://localhost:7071/api/oauth/callback",
        "OAUTH_CLIENT_SECRET_NAME", "entra-secret", "STATE_SIGNING_SECRET_NAME", "state-key")).orElseThrow();

    assertThat(settings.tokenEndpoint()).isEqualTo(URI.create("http://localhost:8080/test-tenant/oauth2/v2.0/token"));
    assertThat(settings.appOrigin()).isEqualTo("http://localhost:7071");
    assertThat(settings.clientSecretName()).isEqualTo("entra-secret");
  }

  @Test
  void incompleteOAuthSettingsSayWhatIsMissing() {
    assertThatThrownBy(
        () -> SecretWiring.oauthSettings(Map.of("OAUTH_CLIENT_ID", "app", "STATE_SIGNING_SECRET_NAME", "bad_name")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OAUTH_REDIRECT_URI is not set")
        .hasMessageContaining("STATE_SIGNING_SECRET_NAME is not a valid secret name");
  }
}
