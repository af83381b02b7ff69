package dev.bunker.app;

import com.azure.data.tables.TableServiceClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.app.StorageClients.BackupStorage;
import dev.bunker.azure.BlobLeases;
import dev.bunker.azure.BlobMetadataExports;
import dev.bunker.azure.BlobSnapshotExports;
import dev.bunker.azure.GitStoreVault;
import dev.bunker.azure.LfsObjects;
import dev.bunker.azure.LfsVault;
import dev.bunker.azure.StorageWorkQueue;
import dev.bunker.azure.tables.AuditTable;
import dev.bunker.azure.tables.TableCatalog;
import dev.bunker.azure.tables.TableNotificationRecords;
import dev.bunker.core.Bunker;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.notify.NotificationPorts;
import dev.bunker.core.oauth.OAuthConnections;
import dev.bunker.core.port.Leases;
import dev.bunker.core.port.MetadataBackend;
import dev.bunker.core.port.MetadataExports;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.port.SecretStore;
import dev.bunker.core.port.SnapshotExports;
import dev.bunker.core.port.SourceDirectory;
import dev.bunker.logging.ProcessLogging;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.store.MaintenanceOptions;
import dev.bunker.store.blob.Blobs;
import dev.bunker.webhook.WebhookNotifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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

  /** Local development data (the secrets file when there is no Key Vault), as .gitignore expects. */
  static final Path LOCAL_DATA = Path.of(".data");

  /** The secret the health check reads: it need not exist, the store only has to answer. */
  static final String HEALTH_PROBE_SECRET = "health-probe";
  /**
   * How long a health answer is reused: anyone may call {@code /api/health}, and each check reads a
   * secret, lists tables and queues (Key Vault throttles, and bills, per read).
   */
  static final Duration HEALTH_MAX_AGE = Duration.ofMinutes(1);

  private static volatile App current;
  private static volatile AdminAccess adminAccess;

  private final Bunker bunker;
  private final Optional<OAuthConnections> oauth;
  private final List<Health.Probe> probes;
  private final Clock clock;
  private Health lastHealth;
  private Instant lastChecked;

  App(Bunker bunker, Optional<OAuthConnections> oauth, List<Health.Probe> probes, Clock clock) {
    this.bunker = bunker;
    this.oauth = oauth;
    this.probes = probes;
    this.clock = clock;
  }

  /** The domain services of this process. */
  public static Bunker bunker() {
    return current().bunker;
  }

  /** Connecting organizations by Entra ID sign-in; empty when OAuth is off ({@link Setting#OAUTH_CLIENT_ID} unset). */
  public static Optional<OAuthConnections> oauth() {
    return current().oauth;
  }

  /**
   * Who may call the admin API, from {@link Setting#ADMIN_ACCESS} and friends. Built apart from
   * the rest of the wiring, so that refusing a caller never needs storage or Key Vault.
   */
  public static AdminAccess adminAccess() {
    AdminAccess access = adminAccess;
    if (access == null) {
      synchronized (App.class) {
        access = adminAccess;
        if (access == null) {
          access = AdminAccess.fromEnvironment(System.getenv());
          adminAccess = access;
        }
      }
    }
    return access;
  }

  /**
   * Asks storage (blob and tables), the queues and the secret store whether they answer; a wiring
   * that cannot be built is reported as the failed {@code configuration} check.
   */
  public static Health health() {
    App app;
    try {
      app = current();
    } catch (RuntimeException e) {
      return Health.of(Map.of("configuration", Health.failed(e)));
    }
    return app.check();
  }

  /**
   * Asks this wiring's parts whether they answer, at most once per {@link #HEALTH_MAX_AGE}: callers
   * in between get the last answer (and wait for a check under way).
   */
  public synchronized Health check() {
    Instant now = clock.instant();
    if (lastHealth == null || !now.isBefore(lastChecked.plus(HEALTH_MAX_AGE))) {
      lastHealth = Health.of(probes);
      lastChecked = now;
      if (!lastHealth.healthy()) {
        Signal.APP_UNHEALTHY.emit(Map.of(), lastHealth.checks().entrySet().stream()
            .filter(check -> !Health.OK.equals(check.getValue().status()))
            .map(check -> check.getKey() + ": " + check.getValue().detail()).collect(Collectors.joining("; ")));
      }
    }
    return lastHealth;
  }

  private static App current() {
    App app = current;
    if (app == null) {
      synchronized (App.class) {
        app = current;
        if (app == null) {
          ProcessLogging.install();
          HashingCompilation.apply();
          app = fromEnvironment(System.getenv());
          current = app;
        }
      }
    }
    return app;
  }

  /** Replaces the process wiring: for tests, and for hosts that wire Bunker themselves. */
  public static synchronized void use(Bunker bunker) {
    current = new App(bunker, Optional.empty(), List.of(), Clock.systemUTC());
  }

  /** Installs a complete wiring (tests that drive the function classes). */
  public static synchronized void use(App app) {
    current = app;
  }

  /** Replaces the admin access policy (tests). */
  public static synchronized void use(AdminAccess access) {
    adminAccess = access;
  }

  /** Forgets the wiring, so the next call builds it from the environment again (tests). */
  public static synchronized void reset() {
    current = null;
    adminAccess = null;
  }

  /** Wires Bunker from app settings ({@link Setting} names), e.g. {@code System.getenv()}. */
  public static App fromEnvironment(Map<String, String> settings) {
    return fromEnvironment(settings, LOCAL_DATA, SettableClock.from(settings));
  }

  /**
   * As {@link #fromEnvironment(Map)}, with local development data (the secrets file) in {@code
   * localData} and time from {@code clock} (tests).
   */
  public static App fromEnvironment(Map<String, String> settings, Path localData, Clock clock) {
    TableServiceClient tables = StorageClients.tables(settings);
    QueueServiceClientBuilder queues = StorageClients.queues(settings);
    SecretStore secrets = secretStore(settings, localData);
    AllowList allowList = AppSettings.allowList(settings);
    AdoSourceDirectory source = sourceDirectory(allowList);
    Optional<BackupStorage> backups = StorageClients.backupStorage(settings, clock);
    OAuthWiring oauthWiring = new OAuthWiring(settings, secrets, clock);
    Bunker bunker = new Bunker(TableCatalog.create(tables, ""), StorageWorkQueue.using(queues), secrets,
        SecretWiring.ownSecretNames(settings), source,
        repositoryVault(backups, source, allowList, clock), snapshotExports(backups),
        metadataBackend(backups, source, clock),
        oauthWiring.tokens(), notificationPorts(settings, tables, clock), clock, RandomIds.secure(),
        MAX_DELIVERIES, AuditTable.create(tables, AuditTable.DEFAULT_TABLE), AppSettings.auditRetentionDays(settings));
    Optional<OAuthConnections> oauth = oauthWiring.connections(tables, source, allowList, bunker);
    QueueServiceClient queueService = queues.buildClient();
    List<Health.Probe> probes = List.of(
        new Health.Probe("tables", () -> tables.listTables().iterator().hasNext()),
        new Health.Probe("queues", () -> queueService.getQueueClient(WorkItem.Discover.QUEUE).createIfNotExists()),
        new Health.Probe("backupStorage", () -> {
          BlobContainerClient container = backups.orElseThrow(() -> new UnavailableException(
              "not configured: set " + Setting.BACKUP_STORAGE_BLOB_SERVICE_URI.key() + " or "
                  + Setting.BACKUP_STORAGE.key()))
              .container();
          if (!container.exists()) {
            throw new UnavailableException("container " + container.getBlobContainerName() + " does not exist");
          }
        }),
        new Health.Probe("secrets", () -> secrets.get(HEALTH_PROBE_SECRET)));
    return new App(bunker, oauth, probes, clock);
  }

  /** Exposed for wiring checks. */
  public Bunker services() {
    return bunker;
  }

  /**
   * Key Vault when {@link Setting#KEY_VAULT_URI} is set, otherwise the local development file
   * store {@code .data/secrets.json} under the working directory (refused in Azure).
   */
  static SecretStore secretStore(Map<String, String> settings, Path localData) {
    return SecretWiring.secretStore(settings, localData, () -> SecretWiring.managedIdentity(settings));
  }

  /**
   * The Azure DevOps client behind {@link SourceDirectory} (one per process: it paces calls per
   * organization), with the allow-list from {@link Setting#ALLOWED_ORGANIZATION_URLS}.
   */
  static AdoSourceDirectory sourceDirectory(AllowList allowList) {
    return new AdoSourceDirectory(AzureDevOpsClient.builder(allowList).build());
  }

  /**
   * The blob-backed git store with Git LFS objects; git credentials go in headers made by the Azure
   * DevOps client, to the addresses its allow-list allows.
   */
  static RepositoryVault repositoryVault(Optional<BackupStorage> backups, AdoSourceDirectory source,
      AllowList allowList, Clock clock) {
    return backups.<RepositoryVault>map(storage -> new LfsVault(
        new GitStoreVault(storage.store(), source::gitHeaders, allowList::allows, MaintenanceOptions.defaults()),
        storage.store(), new LfsObjects(storage.container()), source::lfsObjects, source::lfsUpload,
        new BlobLeases(storage.blobs(), clock), clock))
        .orElseGet(() -> NotConfigured.port(RepositoryVault.class, "the backup store ("
            + Setting.BACKUP_STORAGE_BLOB_SERVICE_URI.key() + " or " + Setting.BACKUP_STORAGE.key() + ")"));
  }

  /** Bundle exports into blobs of the backup container, handed out as short-lived read-only SAS URLs. */
  static SnapshotExports snapshotExports(Optional<BackupStorage> backups) {
    return backups.<SnapshotExports>map(storage -> new BlobSnapshotExports(storage.store(), storage.exports()))
        .orElseGet(() -> NotConfigured.port(SnapshotExports.class, "bundle export (the backup store)"));
  }

  /**
   * Project metadata: read from and restored into Azure DevOps by the client, kept content-addressed
   * in the backup container (with its lock blobs), downloaded as zips like bundles.
   */
  static MetadataBackend metadataBackend(Optional<BackupStorage> backups, AdoSourceDirectory source, Clock clock) {
    String what = "metadata backup (the backup store)";
    return backups.map(storage -> {
      MetadataStore store = new MetadataStore(storage.blobs());
      return new MetadataBackend(source, store, new BlobMetadataExports(store, storage.exports()),
          new BlobLeases(storage.blobs(), clock));
    }).orElseGet(() -> new MetadataBackend(source, new MetadataStore(NotConfigured.port(Blobs.class, what)),
        NotConfigured.port(MetadataExports.class, what), NotConfigured.port(Leases.class, what)));
  }

  /**
   * Notification targets in the app's tables, posted to by the JDK HTTP client to the hosts of
   * {@link Setting#ALLOWED_WEBHOOK_HOSTS}, with links to the console when there is one.
   */
  static NotificationPorts notificationPorts(Map<String, String> settings, TableServiceClient tables, Clock clock) {
    return new NotificationPorts(TableNotificationRecords.create(tables, ""),
        new WebhookNotifier(AppSettings.webhookHosts(settings), WebhookNotifier.defaultHttpClient(), clock),
        AppSettings.console(settings));
  }
}
