package dev.bunker.core.model;

import java.time.Instant;

/** A message for one of the queue workers. Each names everything its handler needs to find its records. */
public sealed interface WorkItem {
  /** The queue this kind of work goes to. */
  String queue();

  /** List an organization's repositories and start their backups (queue {@code discover}). */
  record Discover(String organizationId, String runId, Trigger trigger, Instant slot) implements WorkItem {
    public static final String QUEUE = "discover";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /** Back up one repository for one run (queue {@code backup-repo}). */
  record BackupRepository(String organizationId, String runId, String repositoryId) implements WorkItem {
    public static final String QUEUE = "backup-repo";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /** Back up one project's metadata for one run (queue {@code backup-metadata}). */
  record BackupMetadata(String organizationId, String runId, String projectId) implements WorkItem {
    public static final String QUEUE = "backup-metadata";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /**
   * Verify a repository's snapshots (queue {@code verify}): with {@code snapshotId}, the one a backup
   * just made, reading only what its newest intact predecessor lacks; without, every snapshot in full.
   * {@code requestedAt} lets a redelivery skip the snapshots an earlier delivery already verified.
   */
  record VerifySnapshots(String organizationId, String repositoryId, String snapshotId, Instant requestedAt)
      implements WorkItem {
    public static final String QUEUE = "verify";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /** Push a snapshot into its target (queue {@code restore}). */
  record RestoreSnapshot(String organizationId, String restoreId) implements WorkItem {
    public static final String QUEUE = "restore";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /** Write a snapshot's bundle into its export blob (queue {@code export}). */
  record ExportBundle(String organizationId, String repositoryId, String snapshotId) implements WorkItem {
    public static final String QUEUE = "export";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /** Write a project's metadata snapshot as a zip into its export blob (queue {@code export-metadata}). */
  record ExportMetadata(String organizationId, String projectId, String snapshotId) implements WorkItem {
    public static final String QUEUE = "export-metadata";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /** Restore a metadata snapshot's definitions and work items into a project (queue {@code restore-metadata}). */
  record RestoreMetadata(String organizationId, String restoreId) implements WorkItem {
    public static final String QUEUE = "restore-metadata";

    @Override
    public String queue() {
      return QUEUE;
    }
  }

  /**
   * Send a notification to an organization's webhooks (queue {@code notify}): of run {@code runId}'s
   * end, or, with {@code summaryAt}, the daily summary of the runs of the day before that time.
   */
  record Notify(String organizationId, String runId, Instant summaryAt) implements WorkItem {
    public static final String QUEUE = "notify";

    @Override
    public String queue() {
      return QUEUE;
    }
  }
}
