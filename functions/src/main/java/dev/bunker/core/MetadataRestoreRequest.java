package dev.bunker.core;

/**
 * A request to restore a project's metadata snapshot (build definitions and work items) into a
 * project: of a registered organization, this one when {@code target.organizationId} is missing.
 */
public record MetadataRestoreRequest(String projectId, String snapshotId, Target target) {
  /** The project to restore into, by name or id. */
  public record Target(String organizationId, String project) {}
}
