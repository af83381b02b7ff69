package dev.bunker.metadata;

/** Restores a project's metadata snapshot into a target project. */
public final class MetadataRestore {
  private final MetadataStore store;

  public MetadataRestore(MetadataStore store) {
    this.store = store;
  }

  /**
   * @throws IllegalArgumentException when there is no such snapshot
   */
  public RestoreReport restore(String organizationId, String sourceProjectId, String snapshotId, ProjectRef target,
      MetadataTarget to) {
    MetadataSnapshot snapshot = store.snapshot(organizationId, sourceProjectId, snapshotId)
        .orElseThrow(() -> new IllegalArgumentException("there is no metadata snapshot " + snapshotId
            + " of project " + sourceProjectId));
    return to.restore(new SnapshotReader(store, snapshot), target);
  }
}
