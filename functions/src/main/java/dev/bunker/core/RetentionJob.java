package dev.bunker.core;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daily retention timer: for every repository of every active organization, forgets the
 * snapshots its policy no longer keeps (git store first, then catalog, so a crash in between is
 * repaired by the next day's run) and lets the store garbage-collect. A failing repository does
 * not stop the others. Deleted organizations are left alone: their backups are kept as they are.
 */
public final class RetentionJob {
  private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

  private final Catalog catalog;
  private final RepositoryVault vault;

  public RetentionJob(Catalog catalog, RepositoryVault vault) {
    this.catalog = catalog;
    this.vault = vault;
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
    }
    return forgotten;
  }

  private int apply(Policy policy, RepositoryKey key) {
    List<Snapshot> snapshots = catalog.snapshots().list(key);
    if (snapshots.isEmpty()) {
      return 0;
    }
    RetentionPlanner.Plan plan = RetentionPlanner.plan(snapshots, policy.retention(), policy.zone());
    if (!plan.forget().isEmpty()) {
      vault.forget(key, plan.forget().stream().map(Snapshot::id).toList());
      plan.forget().forEach(snapshot -> catalog.snapshots().delete(key, snapshot.id()));
      LOG.info(() -> "repository " + key.repositoryId() + " of organization " + key.organizationId() + ": forgot "
          + plan.forget().size() + " snapshots, kept " + plan.keep().size());
    }
    vault.maintain(key);
    return plan.forget().size();
  }
}
