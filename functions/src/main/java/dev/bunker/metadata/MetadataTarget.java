package dev.bunker.metadata;

/**
 * Where a restore writes: a project of an organization. Implementation:
 * {@code dev.bunker.ado.AzureDevOpsRestore}.
 */
public interface MetadataTarget {

  /**
   * Creates in {@code target} the area and iteration paths, shared queries, teams, pipelines
   * (variable groups, task groups, build and release definitions, with the ids they refer to mapped)
   * and work items (with comments, attachments and links between them) of {@code snapshot}; what
   * exists already or cannot be made is noted.
   */
  RestoreReport restore(SnapshotReader snapshot, ProjectRef target);
}
