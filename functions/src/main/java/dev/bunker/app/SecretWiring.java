package dev.bunker.app;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.bunker.azure.KeyVaultSecretStore;
import dev.bunker.azure.LocalFileSecretStore;
import dev.bunker.core.model.SecretNames;
import dev.bunker.core.oauth.OAuthSettings;
import dev.bunker.core.port.SecretStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** How settings choose the secret store and the OAuth app registration; called by {@code App}. */
public final class SecretWiring {
  public static final String LOCAL_SECRETS_FILE = "secrets.json";
  public static final String DEFAULT_OAUTH_CLIENT_SECRET_NAME = "oauth-client-secret";
  public static final String DEFAULT_STATE_SIGNING_SECRET_NAME = "oauth-state-signing-key";
  /** Work and school accounts of any tenant, for a multi-tenant app registration. */
  public static final String DEFAULT_TENANT = "organizations";

  private SecretWiring() {}

  /**
   * Key Vault when {@code KEY_VAULT_URI} is set; otherwise the development file
   * {@code <dataDir>/secrets.json}, which is refused when running in Azure.
   */
  public static SecretStore secretStore(Map<String, String> environment, Path dataDir,
      Supplier<TokenCredential> credential) {
    Optional<String> vault = Setting.KEY_VAULT_URI.from(environment);
    if (vault.isEmpty()) {
      return LocalFileSecretStore.open(dataDir.resolve(LOCAL_SECRETS_FILE), environment);
    }
    URI uri = parseUri(Setting.KEY_VAULT_URI, vault.get());
    if (!"https".equals(uri.getScheme())) {
      throw new IllegalStateException(Setting.KEY_VAULT_URI.key() + " must be an https URL such as "
          + "https://<vault>.vault.azure.net/, not " + vault.get());
    }
    return KeyVaultSecretStore.connect(uri, credential.get());
  }

  /** The app's managed identity; {@code AZURE_CLIENT_ID} names the user-assigned one. */
  public static TokenCredential managedIdentity(Map<String, String> environment) {
    DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
    Setting.AZURE_CLIENT_ID.from(environment).ifPresent(builder::managedIdentityClientId);
    return builder.build();
  }

  /**
   * The secrets Bunker keeps for itself, whether OAuth is on or not: the app registration's client
   * secret and the state-signing key, under their configured or default names.
   */
  public static Set<String> ownSecretNames(Map<String, String> environment) {
    return Set.of(
        Setting.OAUTH_CLIENT_SECRET_NAME.from(environment).orElse(DEFAULT_OAUTH_CLIENT_SECRET_NAME),
        Setting.STATE_SIGNING_SECRET_NAME.from(environment).orElse(DEFAULT_STATE_SIGNING_SECRET_NAME));
  }

  /**
   * The Entra ID app registration, or empty when {@code OAUTH_CLIENT_ID} is unset (connecting by
   * OAuth is then off). {@code OAUTH_REDIRECT_URI} is required with it; the authority is
   * {@code OAUTH_AUTHORITY}, else {@code https://login.microsoftonline.com/<OAUTH_TENANT_ID>}
   * (tenant {@value #DEFAULT_TENANT} by default).
   */
  public static Optional<OAuthSettings> oauthSettings(Map<String, String> environment) {
    Optional<String> clientId = Setting.OAUTH_CLIENT_ID.from(environment);
    if (clientId.isEmpty()) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    Optional<String> redirect = Setting.OAUTH_REDIRECT_URI.from(environment);
    if (redirect.isEmpty()) {
      problems.add(Setting.OAUTH_REDIRECT_URI.key() + " is not set");
    }
    String clientSecretName =
        Setting.OAUTH_CLIENT_SECRET_NAME.from(environment).orElse(DEFAULT_OAUTH_CLIENT_SECRET_NAME);
    String signingSecretName =
        Setting.STATE_SIGNING_SECRET_NAME.from(environment).orElse(DEFAULT_STATE_SIGNING_SECRET_NAME);
    for (Setting name : List.of(Setting.OAUTH_CLIENT_SECRET_NAME, Setting.STATE_SIGNING_SECRET_NAME)) {
      String value = name == Setting.OAUTH_CLIENT_SECRET_NAME ? clientSecretName : signingSecretName;
      if (!SecretNames.isValid(value)) {
        problems.add(name.key() + " is not a valid secret name (1 to 127 letters, digits and dashes)");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("OAuth is configured (" + Setting.OAUTH_CLIENT_ID.key() + " is set) but "
          + String.join("; ", problems));
    }
    URI authority = Setting.OAUTH_AUTHORITY.from(environment)
        .map(value -> parseUri(Setting.OAUTH_AUTHORITY, value))
        .orElseGet(() -> URI.create("https://login.microsoftonline.com/"
            + Setting.OAUTH_TENANT_ID.from(environment).orElse(DEFAULT_TENANT)));
    URI redirectUri = parseUri(Setting.OAUTH_REDIRECT_URI, redirect.get());
    return Optional.of(new OAuthSettings(authority, clientId.get(), redirectUri, clientSecretName, signingSecretName,
        OAuthSettings.DEFAULT_STATE_LIFETIME));
  }

  private static URI parseUri(Setting setting, String value) {
    try {
      URI uri = new URI(value.strip());
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalStateException(setting.key() + " must be an absolute URL, not " + value);
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(setting.key() + " is not a URL: " + value, e);
    }
  }
}
