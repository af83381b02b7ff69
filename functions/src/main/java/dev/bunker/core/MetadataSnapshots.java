package dev.bunker.core;

import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's metadata snapshots as users see them: newest first, with counts by kind and what was
 * not backed up; and one snapshot as a zip, downloaded like a bundle (the first request queues the
 * export, the {@code export-metadata} worker writes it, a later request gets its URL).
 */
public final class MetadataSnapshots {
  private final Organizations organizations;
  private final MetadataStore store;
  private final MetadataExports exports;
  private final WorkQueue queue;
  private final int maxAttempts;

  MetadataSnapshots(Organizations organizations, MetadataStore store, MetadataExports exports, WorkQueue queue,
      int maxAttempts) {
    this.organizations = organizations;
    this.store = store;
    this.exports = exports;
    this.queue = queue;
    this.maxAttempts = maxAttempts;
  }

  /** Newest first; an unknown project has none. */
  public List<MetadataSnapshot.Summary> list(String organizationId, String projectId) {
    organizations.get(organizationId);
    if (!MetadataStore.isValidName(projectId)) {
      throw new NotFoundException("project", projectId);
    }
    return store.snapshotIds(organizationId, projectId).stream()
        .sorted(Comparator.reverseOrder())
        .map(id -> store.summary(organizationId, projectId, id).orElse(null))
        .filter(Objects::nonNull) // forgotten since it was listed
        .toList();
  }

  public MetadataSnapshot.Summary get(String organizationId, String projectId, String snapshotId) {
    organizations.get(organizationId);
    return find(organizationId, projectId, snapshotId)
        .orElseThrow(() -> new NotFoundException("metadata snapshot", snapshotId));
  }

  /** The zip's status, queueing its export when nobody has yet. */
  public ExportStatus requestZip(String organizationId, String projectId, String snapshotId) {
    get(organizationId, projectId, snapshotId);
    ExportStatus status = exports.status(organizationId, projectId, snapshotId);
    if (status.state() != ExportStatus.State.MISSING) {
      return status;
    }
    queue.enqueue(new WorkItem.ExportMetadata(organizationId, projectId, snapshotId));
    return ExportStatus.writing();
  }

  /** The {@code export-metadata} worker: the last attempt records its failure, so pollers stop waiting. */
  public void writeZip(WorkItem.ExportMetadata work, long attempt) {
    try {
      exports.write(work.organizationId(), work.projectId(), work.snapshotId());
    } catch (RuntimeException e) {
      if (attempt < maxAttempts) {
        throw e;
      }
      exports.fail(work.organizationId(), work.projectId(), work.snapshotId(), Failures.reasonOf(e, null));
    }
  }

  /** The {@code export-metadata-poison} worker: every attempt was stopped before it could record a failure. */
  public void giveUpZip(WorkItem.ExportMetadata work) {
    exports.fail(work.organizationId(), work.projectId(), work.snapshotId(), Failures.STOPPED_EVERY_TIME);
  }

  /** A snapshot by well-formed ids; empty for ids that cannot name one. */
  Optional<MetadataSnapshot.Summary> find(String organizationId, String projectId, String snapshotId) {
    if (!MetadataStore.isValidName(projectId) || !SnapshotIds.isValid(snapshotId)) {
      return Optional.empty();
    }
    return store.summary(organizationId, projectId, snapshotId);
  }
}
