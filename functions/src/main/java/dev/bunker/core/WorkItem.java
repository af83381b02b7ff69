package dev.bunker.core;

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
}
