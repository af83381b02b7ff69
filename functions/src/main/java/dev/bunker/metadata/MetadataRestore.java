package dev.bunker.metadata;

/** Restores a project's metadata snapshot into a target project. */
public final class MetadataRestore {
  private final MetadataStore store;

  public MetadataRestore(MetadataStore store) {
    this.store = store;
  }

  /**
   * A restore run once, that skips what the target already holds.
   *
   * @throws IllegalArgumentException when there is no such snapshot
   */
  public RestoreReport restore(String organizationId, String sourceProjectId, String snapshotId, ProjectRef target,
      MetadataTarget to) {
    return restore(organizationId, sourceProjectId, snapshotId, target, to, OnConflict.SKIP, RestoreLedger.inMemory());
  }

  /**
   * @param ledger what earlier runs of this restore made (see {@link MetadataStore#ledger})
   * @throws IllegalArgumentException when there is no such snapshot
   */
  public RestoreReport restore(String organizationId, String sourceProjectId, String snapshotId, ProjectRef target,
      MetadataTarget to, OnConflict onConflict, RestoreLedger ledger) {
    return to.restore(reader(organizationId, sourceProjectId, snapshotId), target, onConflict, ledger);
  }

  /**
   * What {@link #restore} would do, without writing.
   *
   * @throws IllegalArgumentException when there is no such snapshot
   */
  public RestorePlan plan(String organizationId, String sourceProjectId, String snapshotId, ProjectRef target,
      MetadataTarget to, OnConflict onConflict) {
    return to.plan(reader(organizationId, sourceProjectId, snapshotId), target, onConflict);
  }

  private SnapshotReader reader(String organizationId, String sourceProjectId, String snapshotId) {
    MetadataSnapshot snapshot = store.snapshot(organizationId, sourceProjectId, snapshotId)
        .orElseThrow(() -> new IllegalArgumentException("there is no metadata snapshot " + snapshotId
            + " of project " + sourceProjectId));
    return new SnapshotReader(store, snapshot);
  }
}
