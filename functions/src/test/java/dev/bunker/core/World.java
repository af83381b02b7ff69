package dev.bunker.core;

import dev.bunker.app.SecretWiring;
import dev.bunker.core.audit.AuditTrail;
import dev.bunker.core.memory.InMemoryAuditLog;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.memory.InMemoryLeases;
import dev.bunker.core.memory.InMemoryMetadataDirectory;
import dev.bunker.core.memory.InMemoryNotificationRecords;
import dev.bunker.core.memory.InMemoryRepositoryVault;
import dev.bunker.core.memory.InMemorySecretStore;
import dev.bunker.core.memory.InMemorySnapshotExports;
import dev.bunker.core.memory.InMemorySourceDirectory;
import dev.bunker.core.memory.InMemoryWorkQueue;
import dev.bunker.core.memory.RecordingNotifier;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.notify.NotificationPorts;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.MetadataBackend;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.core.port.MetadataExports;
import dev.bunker.core.port.OAuthTokens;
import dev.bunker.core.port.WorkQueue;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.testing.ManualClock;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Bunker over in-memory twins, with a manual clock, and helpers that play the queue workers.
 * {@code CONTOSO} accepts {@code TOKEN}.
 */
public final class World {
  public static final String CONTOSO = "https://dev.azure.com/contoso";
  public static final String TOKEN = "pat-very-secret-0123456789";
  public static final int MAX_ATTEMPTS = 5;

  public final ManualClock clock;
  public final Catalog catalog;
  public final InMemoryWorkQueue queue = new InMemoryWorkQueue();
  public final InMemorySecretStore secrets = new InMemorySecretStore();
  public final InMemorySourceDirectory source = new InMemorySourceDirectory().organization(CONTOSO, TOKEN);
  public final InMemoryRepositoryVault vault = new InMemoryRepositoryVault();
  public final InMemorySnapshotExports exports = new InMemorySnapshotExports();
  public final InMemoryMetadataDirectory metadata = new InMemoryMetadataDirectory();
  public final InMemoryLeases leases = new InMemoryLeases();
  public final InMemoryNotificationRecords notificationRecords = new InMemoryNotificationRecords();
  /** Where notifications go; the console's address for links is {@link #CONSOLE}. */
  public final RecordingNotifier notifier = new RecordingNotifier();
  public static final String CONSOLE = "https://bunker.example.com/api/console";
  public final InMemoryAuditLog audit = new InMemoryAuditLog();
  /** Where metadata snapshots are stored. */
  public final InMemoryBlobs metadataBlobs;
  public final Bunker bunker;

  public World(String now) {
    this(now, InMemoryCatalog.create());
  }

  public World(String now, Catalog catalog) {
    this(now, catalog, UnaryOperator.identity());
  }

  /** A world whose workers send work through {@code queueDecorator} (to inject faults). */
  public World(String now, Catalog catalog, UnaryOperator<WorkQueue> queueDecorator) {
    this(now, catalog, queueDecorator, null);
  }

  /** A world whose metadata is backed up from and restored into {@code metadataDirectory} (e.g. the sandbox). */
  public World(String now, MetadataDirectory metadataDirectory) {
    this(now, InMemoryCatalog.create(), UnaryOperator.identity(), metadataDirectory);
  }

  private World(String now, Catalog catalog, UnaryOperator<WorkQueue> queueDecorator,
      MetadataDirectory metadataDirectory) {
    this.clock = ManualClock.at(now);
    this.catalog = catalog;
    // the access token of a grant is the refresh token with a prefix, so tests can tell them apart
    OAuthTokens oauth = secretName -> Secret.of("access-for-" + secrets.get(secretName).orElseThrow(
        () -> new SourceException(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED, "grant revoked")));
    this.metadataBlobs = new InMemoryBlobs(clock);
    MetadataBackend metadataBackend = new MetadataBackend(metadataDirectory == null ? metadata : metadataDirectory,
        new MetadataStore(metadataBlobs),
        new MetadataExports() {
          @Override
          public ExportStatus status(String organizationId, String projectId, String snapshotId) {
            return ExportStatus.missing();
          }

          @Override
          public void write(String organizationId, String projectId, String snapshotId) {}

          @Override
          public void fail(String organizationId, String projectId, String snapshotId, String reason) {}
        }, leases);
    this.bunker = new Bunker(catalog, queueDecorator.apply(queue), secrets, SecretWiring.ownSecretNames(Map.of()),
        source, vault, exports, metadataBackend, oauth,
        new NotificationPorts(notificationRecords, notifier, Optional.of(URI.create(CONSOLE))), clock,
        new CountingIds(),
        MAX_ATTEMPTS,
        audit, AuditTrail.DEFAULT_RETENTION_DAYS);
  }

  public Organization registerContoso(PolicyInput policy) {
    return bunker.organizations().register(new RegisterOrganization(CONTOSO, null, TOKEN, null, policy));
  }

  /** Runs queued discoveries, backups and verifications, as the queue workers would, until none are left (notifications stay queued). */
  public void drainQueues() {
    List<WorkItem.Discover> discoveries = queue.take(WorkItem.Discover.class);
    List<WorkItem.BackupRepository> backups = queue.take(WorkItem.BackupRepository.class);
    List<WorkItem.BackupMetadata> metadataBackups = queue.take(WorkItem.BackupMetadata.class);
    List<WorkItem.VerifySnapshots> verifications = queue.take(WorkItem.VerifySnapshots.class);
    while (!discoveries.isEmpty() || !backups.isEmpty() || !metadataBackups.isEmpty() || !verifications.isEmpty()) {
      discoveries.forEach(work -> bunker.discovery().discover(work, 1));
      backups.forEach(work -> bunker.backups().backup(work, 1));
      metadataBackups.forEach(work -> bunker.backups().backupMetadata(work, 1));
      verifications.forEach(work -> bunker.verifications().verify(work, 1));
      discoveries = queue.take(WorkItem.Discover.class);
      backups = queue.take(WorkItem.BackupRepository.class);
      metadataBackups = queue.take(WorkItem.BackupMetadata.class);
      verifications = queue.take(WorkItem.VerifySnapshots.class);
    }
  }
}
