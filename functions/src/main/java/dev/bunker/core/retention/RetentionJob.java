package dev.bunker.core.retention;

import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.Leases;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.metadata.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daily retention timer: for every repository of every active organization, forgets the
 * snapshots its policy no longer keeps (git store first, then catalog, so a crash in between is
 * repaired by the next day's run) and lets the store garbage-collect. Then the same for each
 * project's metadata snapshots, and the metadata objects no snapshot refers to any more are
 * deleted once older than the grace period, never while a metadata backup of the organization
 * runs (then the next day's run does it). A failing repository does not stop the others. Deleted
 * organizations are left alone: their backups are kept as they are.
 */
public final class RetentionJob {
  private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

  /** How long metadata objects nobody refers to stay: as long as dropped git packs. */
  static final Duration METADATA_GRACE = Duration.ofDays(1);

  private final Catalog catalog;
  private final RepositoryVault vault;
  private final MetadataStore metadata;
  private final CollectorLocks locks;
  private final Clock clock;
  private final Verifications verifications;

  public RetentionJob(Catalog catalog, RepositoryVault vault, MetadataStore metadata, CollectorLocks locks,
      Clock clock, Verifications verifications) {
    this.catalog = catalog;
    this.vault = vault;
    this.metadata = metadata;
    this.locks = locks;
    this.clock = clock;
    this.verifications = verifications;
  }

  /** Returns how many snapshots were forgotten. */
  public int run() {
    int forgotten = 0;
    for (Versioned<Organization> versioned : catalog.organizations().list()) {
      Organization organization = versioned.value();
      if (!organization.isActive()) {
        continue;
      }
      for (Repository repository : catalog.repositories().list(organization.id())) {
        try {
          forgotten += apply(organization.policy(), repository.key());
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "retention of organization " + organization.id() + ", repository "
              + repository.id() + " failed", e);
        }
      }
      try {
        vault.collectGarbage(organization.id(), catalog.repositories().list(organization.id()).stream()
            .map(Repository::key).toList());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "garbage collection of organization " + organization.id() + " failed", e);
      }
      try {
        forgotten += applyToMetadata(organization);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "metadata retention of organization " + organization.id() + " failed", e);
      }
    }
    return forgotten;
  }

  private int applyToMetadata(Organization organization) {
    Policy policy = organization.policy();
    int forgotten = 0;
    for (String projectId : metadata.projectIds(organization.id())) {
      RetentionPlanner.Plan<String> plan = RetentionPlanner.plan(metadata.snapshotIds(organization.id(), projectId),
          SnapshotIds::takenAt, Function.identity(), policy.retention(), policy.zone());
      plan.forget().forEach(id -> metadata.forget(organization.id(), projectId, id));
      forgotten += plan.forget().size();
    }
    Optional<Leases.Held> collector = locks.collector(organization.id());
    if (collector.isEmpty()) {
      LOG.info(() -> "organization " + organization.id() + ": a metadata backup is running; metadata garbage is"
          + " collected next time");
      return forgotten;
    }
    try (Leases.Held held = collector.get()) {
      MetadataStore.Collected collected =
          metadata.collectGarbage(organization.id(), clock.instant().minus(METADATA_GRACE));
      LOG.info(() -> "organization " + organization.id() + ": metadata garbage collection deleted "
          + collected.deleted() + " objects (" + collected.bytesFreed() + " bytes), " + collected.referenced()
          + " referenced by " + collected.snapshots() + " snapshots");
    }
    return forgotten;
  }

  private int apply(Policy policy, RepositoryKey key) {
    List<Snapshot> snapshots = catalog.snapshots().list(key);
    if (snapshots.isEmpty()) {
      return 0;
    }
    RetentionPlanner.Plan<Snapshot> plan = RetentionPlanner.plan(snapshots, policy.retention(), policy.zone());
    if (!plan.forget().isEmpty()) {
      vault.forget(key, plan.forget().stream().map(Snapshot::id).toList());
      plan.forget().forEach(snapshot -> catalog.snapshots().delete(key, snapshot.id()));
      // the repository row must not name a forgotten snapshot as damaged or as the newest intact
      verifications.recordSummary(key, catalog.repositories().find(key.organizationId(), key.repositoryId())
          .map(Repository::verifiedAt).orElse(null));
      LOG.info(() -> "repository " + key.repositoryId() + " of organization " + key.organizationId() + ": forgot "
          + plan.forget().size() + " snapshots, kept " + plan.keep().size());
    }
    vault.maintain(key);
    return plan.forget().size();
  }
}
