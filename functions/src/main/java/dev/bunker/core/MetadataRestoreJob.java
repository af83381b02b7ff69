package dev.bunker.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A requested restore of a metadata snapshot into a project, and how it went: what it created per
 * kind, people it could not map (the restoring account stands in for them), and notes on what was
 * not restored as it was. Notes and identities are capped at {@link #MAX_LISTED} entries.
 */
public record MetadataRestoreJob(
    String organizationId,
    String id,
    String projectId,
    String snapshotId,
    String targetOrganizationId,
    String targetProject,
    RestoreStatus status,
    Instant createdAt,
    Instant finishedAt,
    Map<String, Integer> created,
    List<String> unmappedIdentities,
    List<String> notes,
    String error) {

  public static final int MAX_LISTED = 100;

  public MetadataRestoreJob running() {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        RestoreStatus.RUNNING, createdAt, null, created, unmappedIdentities, notes, null);
  }

  /** A failed attempt that the queue will retry. */
  public MetadataRestoreJob retrying(String reason) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        RestoreStatus.QUEUED, createdAt, null, created, unmappedIdentities, notes, reason);
  }

  public MetadataRestoreJob succeeded(Instant now, Map<String, Integer> created, List<String> unmappedIdentities,
      List<String> notes) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        RestoreStatus.SUCCEEDED, createdAt, now, Map.copyOf(created), capped(unmappedIdentities), capped(notes), null);
  }

  public MetadataRestoreJob failed(Instant now, String reason) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        RestoreStatus.FAILED, createdAt, now, created, unmappedIdentities, notes, reason);
  }

  private static List<String> capped(List<String> entries) {
    if (entries.size() <= MAX_LISTED) {
      return List.copyOf(entries);
    }
    List<String> first = new java.util.ArrayList<>(entries.subList(0, MAX_LISTED - 1));
    first.add("… and " + (entries.size() - MAX_LISTED + 1) + " more");
    return List.copyOf(first);
  }
}
