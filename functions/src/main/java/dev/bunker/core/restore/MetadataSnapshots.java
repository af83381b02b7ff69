package dev.bunker.core.restore;

import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.Failures;
import dev.bunker.core.model.MetadataProject;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.MetadataExports;
import dev.bunker.core.port.WorkQueue;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.ProjectRef;
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

  public MetadataSnapshots(Organizations organizations, MetadataStore store, MetadataExports exports, WorkQueue queue,
      int maxAttempts) {
    this.organizations = organizations;
    this.store = store;
    this.exports = exports;
    this.queue = queue;
    this.maxAttempts = maxAttempts;
  }

  /**
   * The projects that have metadata snapshots, each with its newest: the organization's own
   * snapshot first (named "Organization"), then projects by name. Projects removed at the source
   * stay listed while they have snapshots.
   */
  public List<MetadataProject> projects(String organizationId) {
    organizations.get(organizationId);
    return store.projectIds(organizationId).stream()
        .map(projectId -> project(organizationId, projectId))
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing((MetadataProject p) -> !p.projectId().equals(ProjectRef.ORGANIZATION.id()))
            .thenComparing(p -> p.projectName() == null ? "" : p.projectName(), String.CASE_INSENSITIVE_ORDER)
            .thenComparing(MetadataProject::projectId))
        .toList();
  }

  private Optional<MetadataProject> project(String organizationId, String projectId) {
    if (!MetadataStore.isValidName(projectId)) {
      return Optional.empty();
    }
    List<String> ids = store.snapshotIds(organizationId, projectId);
    // Only the newest manifest is read, however many snapshots there are (one forgotten since the
    // listing is skipped).
    for (int i = ids.size() - 1; i >= 0; i--) {
      Optional<MetadataSnapshot.Summary> latest = store.summary(organizationId, projectId, ids.get(i));
      if (latest.isPresent()) {
        String name = projectId.equals(ProjectRef.ORGANIZATION.id()) ? "Organization" : latest.get().projectName();
        return Optional.of(new MetadataProject(projectId, name, ids.size(), latest.get()));
      }
    }
    return Optional.empty();
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
