package dev.bunker.core.model;

import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.RestoreReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A requested restore of a metadata snapshot into a project, and how it went: what it created per
 * kind, what the target already held under the same name and was skipped or restored beside under
 * another name, people it could not map (the restoring account stands in for them), and notes on
 * what was not restored as it was. Lists are capped at {@link #MAX_LISTED} entries. A running
 * restore is claimed by one queue delivery ({@code claimedBy}, a random id) until {@code
 * claimedUntil}: no other delivery runs it before then.
 */
public record MetadataRestoreJob(
    String organizationId,
    String id,
    String projectId,
    String snapshotId,
    String targetOrganizationId,
    String targetProject,
    OnConflict onConflict,
    RestoreStatus status,
    Instant createdAt,
    Instant finishedAt,
    Map<String, Integer> created,
    List<String> skipped,
    List<String> renamed,
    List<String> unmappedIdentities,
    List<String> notes,
    String error,
    String claimedBy,
    Instant claimedUntil) {

  public static final int MAX_LISTED = 100;

  /** A restore just requested. */
  public static MetadataRestoreJob queued(String organizationId, String id, String projectId, String snapshotId,
      String targetOrganizationId, String targetProject, OnConflict onConflict, Instant now) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        onConflict, RestoreStatus.QUEUED, now, null, Map.of(), List.of(), List.of(), List.of(), List.of(), null, null,
        null);
  }

  /** As the API shows it: which delivery holds a running restore is the workers' business, not the API's. */
  public MetadataRestoreJob shown() {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        onConflict, status, createdAt, finishedAt, created, skipped, renamed, unmappedIdentities, notes, error, null,
        claimedUntil);
  }

  /** Whether a delivery's claim on it lasts past {@code now}. */
  public boolean isClaimedAt(Instant now) {
    return status == RestoreStatus.RUNNING && claimedUntil != null && claimedUntil.isAfter(now);
  }

  /** Running, claimed by delivery {@code claimant} until {@code until}. */
  public MetadataRestoreJob claimed(String claimant, Instant until) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        onConflict, RestoreStatus.RUNNING, createdAt, null, created, skipped, renamed, unmappedIdentities, notes, null,
        claimant, until);
  }

  /** A failed attempt that the queue will retry, with what was created so far; the claim is given up. */
  public MetadataRestoreJob retrying(String reason, Map<String, Integer> createdSoFar) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        onConflict, RestoreStatus.QUEUED, createdAt, null, Map.copyOf(createdSoFar), skipped, renamed,
        unmappedIdentities, notes, reason, null, null);
  }

  public MetadataRestoreJob succeeded(Instant now, RestoreReport report) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        onConflict, RestoreStatus.SUCCEEDED, createdAt, now, Map.copyOf(report.created()), capped(report.skipped()),
        capped(report.renamed()), capped(report.unmappedIdentities()), capped(report.notes()), null, null, null);
  }

  public MetadataRestoreJob failed(Instant now, String reason, Map<String, Integer> createdSoFar) {
    return new MetadataRestoreJob(organizationId, id, projectId, snapshotId, targetOrganizationId, targetProject,
        onConflict, RestoreStatus.FAILED, createdAt, now, Map.copyOf(createdSoFar), skipped, renamed,
        unmappedIdentities, notes, reason, null, null);
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
