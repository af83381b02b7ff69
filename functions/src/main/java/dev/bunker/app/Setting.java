package dev.bunker.app;

import dev.bunker.webhook.WebhookHosts;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the app reads: the one registry that {@code local.settings.json.example} and
 * {@code infra/main.bicep} are checked against. In Azure they are app settings; locally the
 * devhost exports the {@code Values} of {@code local.settings.json}.
 */
public enum Setting {
  APP_STORAGE("AzureWebJobsStorage", Scope.LOCAL_ONLY, "app storage connection string: queues, tables, host state"),
  APP_STORAGE_ACCOUNT_NAME("AzureWebJobsStorage__accountName", "app storage account reached by managed identity"),
  BACKUP_STORAGE("BACKUP_STORAGE", Scope.LOCAL_ONLY, "backup storage connection string (local development)"),
  BACKUP_STORAGE_BLOB_SERVICE_URI("BACKUP_STORAGE__blobServiceUri",
      "backup storage blob endpoint reached by managed identity"),
  BACKUP_CONTAINER("BACKUP_CONTAINER", "blob container holding backups; default backups"),
  KEY_VAULT_URI("KEY_VAULT_URI", "Key Vault for secrets; unset only for local development"),
  AZURE_CLIENT_ID("AZURE_CLIENT_ID", "client id of the user-assigned managed identity"),
  ALLOWED_ORGANIZATION_URLS("ALLOWED_ORGANIZATION_URLS", Scope.OPTIONAL_IN_AZURE,
      "extra organization URL prefixes allowed besides Azure DevOps Services"),
  ALLOWED_WEBHOOK_HOSTS("ALLOWED_WEBHOOK_HOSTS", Scope.OPTIONAL_IN_AZURE, "hosts notification webhooks may"
      + " post to, comma-separated (*.example.com for subdomains); default Teams and Slack: " + WebhookHosts.DEFAULTS),
  OAUTH_CLIENT_ID("OAUTH_CLIENT_ID", Scope.OPTIONAL_IN_AZURE, "Entra ID app registration used for the OAuth flow"),
  OAUTH_TENANT_ID("OAUTH_TENANT_ID", Scope.OPTIONAL_IN_AZURE, "Entra ID tenant of the app registration"),
  OAUTH_AUTHORITY("OAUTH_AUTHORITY", Scope.OPTIONAL_IN_AZURE,
      "authority URL overriding the tenant (tests, sovereign clouds)"),
  OAUTH_CLIENT_SECRET_NAME("OAUTH_CLIENT_SECRET_NAME", Scope.OPTIONAL_IN_AZURE,
      "Key Vault secret holding the app registration's client secret"),
  OAUTH_REDIRECT_URI("OAUTH_REDIRECT_URI", Scope.OPTIONAL_IN_AZURE, "redirect URI registered for /api/oauth/callback"),
  STATE_SIGNING_SECRET_NAME("STATE_SIGNING_SECRET_NAME", Scope.OPTIONAL_IN_AZURE,
      "Key Vault secret holding the key that signs OAuth state"),
  ADMIN_ACCESS("ADMIN_ACCESS", "who may call the admin API: enforced (App Service authentication and the admin role or"
      + " group; the default in Azure) or open (anyone; the default locally, refused in Azure)"),
  ADMIN_ROLE("ADMIN_ROLE", "Entra ID app role that makes a caller an admin; default Bunker.Admin"),
  ADMIN_GROUP_IDS("ADMIN_GROUP_IDS", Scope.OPTIONAL_IN_AZURE,
      "object ids of Entra ID groups whose members are admins, comma-separated"),
  AUDIT_RETENTION_DAYS("AUDIT_RETENTION_DAYS", "days audit entries are kept, at least 366 (a year); default 400"),
  GIT_TRANSFER_TIMEOUT_MINUTES("GIT_TRANSFER_TIMEOUT_MINUTES", "minutes a git fetch or push waits for the remote to"
      + " connect, and then for each read to bring something, before it fails and is retried; 1 to 25, default 10"),
  LOCAL_CLOCK_FILE("BUNKER_LOCAL_CLOCK_FILE", Scope.LOCAL_ONLY,
      "tests only: a file holding the time the app's clock is set to (refused in Azure)");

  /** Where a setting is given a value; {@code infra/main.bicep} is checked against it. */
  public enum Scope {
    /** Always set by {@code infra/main.bicep} in Azure; locally it may be empty. */
    EVERYWHERE,
    /**
     * Local development only (connection strings with keys, as Azurite uses): Azure reaches the
     * same resource through an identity-based twin, so {@code main.bicep} must never set it.
     */
    LOCAL_ONLY,
    /** Set by {@code main.bicep} from an optional parameter; empty when the feature is off. */
    OPTIONAL_IN_AZURE
  }

  private final String key;
  private final Scope scope;
  private final String meaning;

  Setting(String key, String meaning) {
    this(key, Scope.EVERYWHERE, meaning);
  }

  Setting(String key, Scope scope, String meaning) {
    this.key = key;
    this.scope = scope;
    this.meaning = meaning;
  }

  /** The environment variable / app setting name. */
  public String key() {
    return key;
  }

  public String meaning() {
    return meaning;
  }

  public Scope scope() {
    return scope;
  }

  public Optional<String> from(Map<String, String> environment) {
    String value = environment.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
