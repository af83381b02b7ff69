package dev.bunker.core.model;

import dev.bunker.metadata.OnConflict;

/**
 * A request to restore a project's metadata snapshot (build definitions and work items) into a
 * project: of a registered organization, this one when {@code target.organizationId} is missing.
 *
 * @param onConflict what to do with what the target already holds under the same name; skip when
 *     missing (a restore never overwrites)
 * @param dryRun when true, nothing is written or queued: the answer says what the restore would
 *     make, skip and rename
 */
public record MetadataRestoreRequest(String projectId, String snapshotId, Target target, OnConflict onConflict,
    Boolean dryRun) {

  /** The project to restore into, by name or id. */
  public record Target(String organizationId, String project) {}

  public MetadataRestoreRequest(String projectId, String snapshotId, Target target) {
    this(projectId, snapshotId, target, null, null);
  }

  /** What to do with what the target holds under the same name: skip unless the request says rename. */
  public OnConflict onConflictOrDefault() {
    return onConflict == null ? OnConflict.SKIP : onConflict;
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }
}
