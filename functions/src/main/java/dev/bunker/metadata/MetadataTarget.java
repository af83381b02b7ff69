package dev.bunker.metadata;

/**
 * Where a restore writes: a project of an organization. Implementation:
 * {@code dev.bunker.ado.restore.AzureDevOpsRestore}.
 */
public interface MetadataTarget {

  /**
   * Creates in {@code target} the area and iteration paths, shared queries, teams, pipelines
   * (variable groups, task groups, build and release definitions, with the ids they refer to mapped)
   * and work items (with comments, attachments and links between them) of {@code snapshot}. What
   * the target already holds under the same name is never overwritten: it is skipped or restored
   * beside under another name, as {@code onConflict} says. What {@code ledger} says an earlier run
   * of this restore made is not made again; what this run makes is recorded there as it is made.
   */
  RestoreReport restore(SnapshotReader snapshot, ProjectRef target, OnConflict onConflict, RestoreLedger ledger);

  /** What {@link #restore} would make, skip and rename in {@code target}, read without writing. */
  RestorePlan plan(SnapshotReader snapshot, ProjectRef target, OnConflict onConflict);
}
