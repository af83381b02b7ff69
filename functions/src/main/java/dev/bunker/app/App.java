package dev.bunker.app;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.core.credential.TokenCredential;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.AllowList;
import dev.bunker.ado.AzureDevOpsClient;
import dev.bunker.azure.StorageWorkQueue;
import dev.bunker.azure.TableCatalog;
import dev.bunker.core.Bunker;
import dev.bunker.core.Catalog;
import dev.bunker.core.OAuthTokens;
import dev.bunker.core.RandomIds;
import dev.bunker.core.RepositoryVault;
import dev.bunker.core.SecretStore;
import dev.bunker.core.SnapshotExports;
import dev.bunker.core.SourceDirectory;
import dev.bunker.core.UnavailableException;
import dev.bunker.core.WorkQueue;
import java.util.Map;

/**
 * The process wiring: built once, lazily, from the app settings, and shared by every function
 * invocation (the Java worker makes a new function object per call, so nothing here may be rebuilt
 * per call). A build that fails is not cached: the next call tries again, so a setting fixed
 * without a restart takes effect.
 */
public final class App {
  /**
   * How often the queues deliver a message before moving it to the poison queue: host.json's
   * {@code extensions.queues.maxDequeueCount}. The last attempt records a failure instead of retrying.
   */
  public static final int MAX_DELIVERIES = 5;

  private static volatile App current;

  private final Bunker bunker;

  private App(Bunker bunker) {
    this.bunker = bunker;
  }

  /** The domain services of this process. */
  public static Bunker bunker() {
    App app = current;
    if (app == null) {
      synchronized (App.class) {
        app = current;
        if (app == null) {
          app = fromEnvironment(System.getenv());
          current = app;
        }
      }
    }
    return app.bunker;
  }

  /** Replaces the process wiring: for tests, and for hosts that wire Bunker themselves. */
  public static synchronized void use(Bunker bunker) {
    current = new App(bunker);
  }

  /** Forgets the wiring, so the next call builds it from the environment again (tests). */
  public static synchronized void reset() {
    current = null;
  }

  /** Wires Bunker from app settings ({@link Setting} names), e.g. {@code System.getenv()}. */
  public static App fromEnvironment(Map<String, String> settings) {
    Catalog catalog = TableCatalog.create(tables(settings), "");
    AdoSourceDirectory source = sourceDirectory(settings);
    Bunker bunker = new Bunker(catalog, workQueue(settings), secretStore(settings), source,
        repositoryVault(settings), snapshotExports(settings), oauthTokens(settings), SettableClock.from(settings),
        RandomIds.secure(), MAX_DELIVERIES);
    return new App(bunker);
  }

  /** Exposed for wiring checks. */
  public Bunker services() {
    return bunker;
  }

  static TableServiceClient tables(Map<String, String> settings) {
    var connectionString = Setting.APP_STORAGE.from(settings);
    if (connectionString.isPresent()) {
      return new TableServiceClientBuilder().connectionString(connectionString.get()).buildClient();
    }
    String account = appStorageAccount(settings);
    return new TableServiceClientBuilder()
        .endpoint("https://" + account + ".table.core.windows.net")
        .credential(identity(settings))
        .buildClient();
  }

  static WorkQueue workQueue(Map<String, String> settings) {
    var connectionString = Setting.APP_STORAGE.from(settings);
    if (connectionString.isPresent()) {
      return StorageWorkQueue.connect(connectionString.get(), "");
    }
    String account = appStorageAccount(settings);
    return StorageWorkQueue.using(new QueueServiceClientBuilder()
        .endpoint("https://" + account + ".queue.core.windows.net")
        .credential(identity(settings)));
  }

  /**
   * Key Vault when {@link Setting#KEY_VAULT_URI} is set, otherwise the local development file
   * store (refused in Azure). TO BE WIRED by the lead to the secrets adapters.
   */
  static SecretStore secretStore(Map<String, String> settings) {
    return NotConfigured.port(SecretStore.class, "the secret store (Key Vault)");
  }

  /**
   * The Azure DevOps client behind {@link SourceDirectory} (one per process: it paces calls per
   * organization), with the allow-list from {@link Setting#ALLOWED_ORGANIZATION_URLS}.
   */
  static AdoSourceDirectory sourceDirectory(Map<String, String> settings) {
    return new AdoSourceDirectory(AzureDevOpsClient.builder(allowList(settings)).build());
  }

  /**
   * The blob-backed git store ({@link Setting#BACKUP_STORAGE} or {@link
   * Setting#BACKUP_STORAGE_BLOB_SERVICE_URI}, container {@link Setting#BACKUP_CONTAINER}). TO BE
   * WIRED by the lead to the {@code store} module.
   */
  static RepositoryVault repositoryVault(Map<String, String> settings) {
    return NotConfigured.port(RepositoryVault.class, "the backup store");
  }

  /**
   * Bundle exports into blobs of the backup storage account, handed out as short-lived read-only
   * SAS URLs. TO BE WIRED by the lead to the {@code store} module.
   */
  static SnapshotExports snapshotExports(Map<String, String> settings) {
    return NotConfigured.port(SnapshotExports.class, "bundle export");
  }

  /** Entra ID token refresh for OAuth-connected organizations. TO BE WIRED by the lead to the OAuth flow. */
  static OAuthTokens oauthTokens(Map<String, String> settings) {
    return NotConfigured.port(OAuthTokens.class, "OAuth (Entra ID)");
  }

  /** Azure DevOps Services plus the prefixes of {@link Setting#ALLOWED_ORGANIZATION_URLS}. */
  static AllowList allowList(Map<String, String> settings) {
    try {
      return AllowList.parse(Setting.ALLOWED_ORGANIZATION_URLS.from(settings).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(Setting.ALLOWED_ORGANIZATION_URLS.key() + ": " + e.getMessage()
          + " (give comma-separated http(s) URL prefixes)", e);
    }
  }

  private static String appStorageAccount(Map<String, String> settings) {
    return Setting.APP_STORAGE_ACCOUNT_NAME.from(settings).orElseThrow(() -> new UnavailableException(
        "app storage is not configured: set " + Setting.APP_STORAGE.key() + " (connection string) or "
            + Setting.APP_STORAGE_ACCOUNT_NAME.key() + " (managed identity)"));
  }

  private static TokenCredential identity(Map<String, String> settings) {
    DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
    Setting.AZURE_CLIENT_ID.from(settings).ifPresent(builder::managedIdentityClientId);
    return builder.build();
  }
}
