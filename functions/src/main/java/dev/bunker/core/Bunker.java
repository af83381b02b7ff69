package dev.bunker.core;

import dev.bunker.core.audit.AuditTrail;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.notify.NotificationPorts;
import dev.bunker.core.notify.Notifications;
import dev.bunker.core.organization.Credentials;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.organization.RepositoryStates;
import dev.bunker.core.port.AuditLog;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.MetadataBackend;
import dev.bunker.core.port.OAuthTokens;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.port.SecretStore;
import dev.bunker.core.port.SnapshotExports;
import dev.bunker.core.port.SourceDirectory;
import dev.bunker.core.port.WorkQueue;
import dev.bunker.core.report.ProtectionReports;
import dev.bunker.core.restore.Bundles;
import dev.bunker.core.restore.Inventory;
import dev.bunker.core.restore.MetadataRestores;
import dev.bunker.core.restore.MetadataSnapshots;
import dev.bunker.core.restore.Restores;
import dev.bunker.core.retention.CollectorLocks;
import dev.bunker.core.retention.RetentionJob;
import dev.bunker.core.retention.Verifications;
import dev.bunker.core.run.BackupDispatcher;
import dev.bunker.core.run.BackupWorker;
import dev.bunker.core.run.Discovery;
import dev.bunker.core.run.RunStart;
import dev.bunker.core.run.Runs;
import dev.bunker.core.run.Scheduler;
import java.time.Clock;
import java.util.Set;

/**
 * The domain services composed over their ports: what the process wiring builds once from real
 * adapters, and what tests build from in-memory twins.
 */
public final class Bunker {
  private final Credentials credentials;
  private final Organizations organizations;
  private final Runs runs;
  private final Inventory inventory;
  private final Bundles bundles;
  private final Restores restores;
  private final Scheduler scheduler;
  private final Discovery discovery;
  private final BackupWorker backups;
  private final RetentionJob retention;
  private final Verifications verifications;
  private final MetadataSnapshots metadataSnapshots;
  private final MetadataRestores metadataRestores;
  private final Notifications notifications;
  private final AuditTrail audit;
  private final ProtectionReports reports;

  /**
   * @param maxAttempts how often the queues deliver a message before it becomes poison (the
   *     host's {@code maxDequeueCount}); the last attempt records a failure instead of retrying
   * @param ownSecretNames the secrets Bunker keeps for itself in {@code secrets}, which no
   *     credential may name
   * @param auditRetentionDays how long audit entries are kept, at least {@link AuditTrail#MIN_RETENTION_DAYS}
   */
  public Bunker(Catalog catalog, WorkQueue queue, SecretStore secrets, Set<String> ownSecretNames,
      SourceDirectory source, RepositoryVault vault, SnapshotExports exports, MetadataBackend metadata,
      OAuthTokens oauth, NotificationPorts notificationPorts, Clock clock, RandomIds ids, int maxAttempts,
      AuditLog auditLog, int auditRetentionDays) {
    credentials = new Credentials(catalog.credentials(), catalog.organizations(), secrets, oauth, clock, ids,
        ownSecretNames);
    organizations = new Organizations(catalog.organizations(), credentials, source,
        new RepositoryStates(catalog.repositories(), catalog.runs(), clock), clock);
    BackupDispatcher dispatcher = new BackupDispatcher(catalog.runs(), queue, clock);
    RunStart runStart = new RunStart(catalog.repositories(), catalog.runs(), dispatcher, queue, clock);
    runs = new Runs(organizations, catalog.runs(), runStart, clock, ids);
    inventory = new Inventory(organizations, catalog.repositories(), catalog.snapshots(), vault);
    bundles = new Bundles(inventory, exports, queue, maxAttempts);
    restores = new Restores(organizations, inventory, catalog, credentials, source, vault, queue, clock, ids,
        maxAttempts);
    scheduler = new Scheduler(catalog.organizations(), catalog.runs(), dispatcher, runStart, clock);
    notifications =
        new Notifications(organizations, catalog.organizations(), catalog.runs(), notificationPorts, secrets,
            queue, clock, ids, maxAttempts);
    discovery = new Discovery(catalog, credentials, source, metadata.directory(), dispatcher, notifications, clock,
        maxAttempts);
    CollectorLocks locks = new CollectorLocks(metadata.leases(), "meta/locks");
    verifications = new Verifications(catalog, vault, queue, clock, maxAttempts);
    backups = new BackupWorker(catalog, credentials, vault, metadata.directory(), metadata.store(), locks, dispatcher,
        verifications, notifications, clock, maxAttempts);
    retention = new RetentionJob(catalog, vault, metadata.store(), locks, clock, verifications);
    metadataSnapshots = new MetadataSnapshots(organizations, metadata.store(), metadata.exports(), queue,
        maxAttempts);
    metadataRestores = new MetadataRestores(organizations, metadataSnapshots, catalog.metadataRestores(), credentials,
        metadata.directory(), metadata.store(), queue, clock, ids, maxAttempts);
    audit = new AuditTrail(auditLog, clock, ids, auditRetentionDays);
    reports = new ProtectionReports(catalog, clock);
  }

  public Credentials credentials() {
    return credentials;
  }

  public Organizations organizations() {
    return organizations;
  }

  public Runs runs() {
    return runs;
  }

  public Inventory inventory() {
    return inventory;
  }

  public Bundles bundles() {
    return bundles;
  }

  public Restores restores() {
    return restores;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public Discovery discovery() {
    return discovery;
  }

  public BackupWorker backups() {
    return backups;
  }

  public RetentionJob retention() {
    return retention;
  }

  /** Reading snapshots back to check they can be restored: after each backup, and weekly. */
  public Verifications verifications() {
    return verifications;
  }

  /** Projects' metadata snapshots: listing, details, zip download. */
  public MetadataSnapshots metadataSnapshots() {
    return metadataSnapshots;
  }

  public MetadataRestores metadataRestores() {
    return metadataRestores;
  }

  /** Run notifications to Teams, Slack and generic webhooks. */
  public Notifications notifications() {
    return notifications;
  }

  /** Who changed what: every admin call that changes something. */
  public AuditTrail audit() {
    return audit;
  }

  /** Whether every repository and metadata scope is backed up within its policy. */
  public ProtectionReports reports() {
    return reports;
  }
}
