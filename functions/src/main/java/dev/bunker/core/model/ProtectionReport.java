package dev.bunker.core.model;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Whether every repository and metadata scope of organizations is protected within its policy, and
 * how storage, run durations and failures developed: the answer of {@code GET /api/report}.
 */
public record ProtectionReport(Instant generatedAt, Totals totals, List<OrganizationReport> organizations) {

  /**
   * Counts by status, and the bytes stored. The bytes are already deduplicated: each snapshot stores
   * only what the ones before it lacked (Git objects; metadata content objects by their hash). The
   * report gives no deduplicated share (bytes referenced against bytes stored): the catalog records
   * what each snapshot added, not what it refers to, so the share would mean reading every
   * snapshot's refs or manifest from blob storage for each report.
   */
  public record Totals(int repositories, int metadataScopes, int protectedCount, int atRisk, int failing, int never,
      long packBytes, long metadataBytes) {}

  /**
   * One organization: {@code dueSince} is the scheduled slot a snapshot must be newer than to count as
   * protected (null before the first slot), {@code nextSlot} the next one.
   */
  public record OrganizationReport(String organizationId, String url, Instant dueSince, Instant nextSlot,
      Totals totals, List<RepositoryProtection> repositories, List<MetadataProtection> metadata, History history) {}

  /**
   * One repository: its newest snapshot and that snapshot's age, the last failure, how many snapshots
   * it has and the pack bytes they added (each snapshot stores only what the ones before it lacked,
   * so the sum is what the repository takes in storage), and when its snapshots were last verified.
   */
  public record RepositoryProtection(String repositoryId, String name, String project, ProtectionStatus status,
      String lastSnapshotId, Instant lastSnapshotAt, Duration age, String lastError, Instant lastErrorAt,
      int snapshotCount, long packBytes, Instant verifiedAt, String damage) {}

  /**
   * One project's metadata, or the organization's own ({@code projectId} {@code organization}), as
   * the recent runs recorded it: {@code snapshotCount} and {@code metadataBytes} count the snapshots
   * of those runs.
   */
  public record MetadataProtection(String projectId, String project, ProtectionStatus status, String lastSnapshotId,
      Instant lastSnapshotAt, Duration age, String lastError, Instant lastErrorAt, int snapshotCount,
      long metadataBytes) {}

  /** Over time, for charts: the recent runs, stored bytes by day, failures by day. */
  public record History(List<RunPoint> runs, List<StoragePoint> storage, List<FailurePoint> failures) {}

  /** A run: when it started, how long it took (null while it runs), what it added and how many results failed. */
  public record RunPoint(String runId, Trigger trigger, RunStatus status, Instant startedAt, Duration duration,
      long bytesAdded, int failures) {}

  /** Bytes stored at the end of {@code day} (UTC) by the snapshots kept today. */
  public record StoragePoint(LocalDate day, long packBytes, long metadataBytes) {}

  /** Failed results of runs started on {@code day} (UTC). */
  public record FailurePoint(LocalDate day, int failures) {}
}
