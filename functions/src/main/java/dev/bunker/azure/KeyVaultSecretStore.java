package dev.bunker.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import dev.bunker.core.model.SecretNames;
import dev.bunker.core.model.SecretStoreException;
import dev.bunker.core.port.SecretStore;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Secrets in Azure Key Vault, reached with the app's managed identity. Key Vault keeps deleted
 * secrets recoverable (soft delete), so storing a name that was deleted recovers it first and
 * then writes the new value as a new version.
 */
public final class KeyVaultSecretStore implements SecretStore {
  private static final Duration LONG_OPERATION_TIMEOUT = Duration.ofSeconds(60);
  private final SecretClient client;

  public KeyVaultSecretStore(SecretClient client) {
    this.client = client;
  }

  /** A store for the vault at {@code vaultUri} (e.g. {@code https://bunker-kv.vault.azure.net/}). */
  public static KeyVaultSecretStore connect(URI vaultUri, TokenCredential credential) {
    return new KeyVaultSecretStore(new SecretClientBuilder()
        .vaultUrl(vaultUri.toString())
        .credential(credential)
        .buildClient());
  }

  /**
   * A store over a given HTTP client, for a vault whose host is not a Key Vault domain (a local
   * Key-Vault-compatible server): the challenge's resource is then not checked against the host.
   */
  public static KeyVaultSecretStore connect(URI vaultUri, TokenCredential credential, HttpClient httpClient) {
    return new KeyVaultSecretStore(new SecretClientBuilder()
        .vaultUrl(vaultUri.toString())
        .credential(credential)
        .httpClient(httpClient)
        .disableChallengeResourceVerification()
        .buildClient());
  }

  @Override
  public void put(String name, String value) {
    SecretNames.requireValid(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("secret '" + name + "' needs a non-empty value");
    }
    try {
      client.setSecret(name, value);
    } catch (HttpResponseException e) {
      if (!isDeletedButRecoverable(e)) {
        throw failure("store", name, e);
      }
      recoverThenSet(name, value);
    } catch (RuntimeException e) {
      throw failure("store", name, e);
    }
  }

  private void recoverThenSet(String name, String value) {
    try {
      client.beginRecoverDeletedSecret(name).waitForCompletion(LONG_OPERATION_TIMEOUT);
      client.setSecret(name, value);
    } catch (RuntimeException e) {
      throw failure("store (after recovering the deleted secret)", name, e);
    }
  }

  @Override
  public Optional<String> get(String name) {
    SecretNames.requireValid(name);
    try {
      return Optional.ofNullable(client.getSecret(name).getValue());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw failure("read", name, e);
    }
  }

  @Override
  public void delete(String name) {
    SecretNames.requireValid(name);
    try {
      client.beginDeleteSecret(name).waitForCompletion(LONG_OPERATION_TIMEOUT);
    } catch (ResourceNotFoundException e) {
      // Already gone: deleting is idempotent.
    } catch (RuntimeException e) {
      throw failure("delete", name, e);
    }
  }

  private static boolean isDeletedButRecoverable(HttpResponseException e) {
    return e.getResponse() != null && e.getResponse().getStatusCode() == 409
        && String.valueOf(e.getMessage()).contains("ObjectIsDeletedButRecoverable");
  }

  // Key Vault's error texts name the vault, the secret and the caller, never a secret's value;
  // the status is what an operator needs, the SDK exception stays attached for diagnosis.
  private static SecretStoreException failure(String action, String name, RuntimeException e) {
    String reason;
    if (e instanceof ClientAuthenticationException && ((ClientAuthenticationException) e).getResponse() == null) {
      // Raised by the credential, before Key Vault was asked; its text is about identity configuration.
      reason = "the app's identity got no token for Key Vault: " + firstLine(e.getMessage());
    } else if (e instanceof HttpResponseException http && http.getResponse() != null) {
      reason = "Key Vault answered HTTP " + http.getResponse().getStatusCode();
    } else {
      reason = "Key Vault could not be reached (" + e.getClass().getSimpleName() + ")";
    }
    return new SecretStoreException("could not " + action + " secret '" + name + "': " + reason, e);
  }

  private static String firstLine(String text) {
    String line = text == null ? "" : text.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
