package dev.bunker.metadata;

import java.time.Clock;
import java.util.logging.Logger;

/**
 * Backs up one project's metadata into a snapshot: reads everything through a source, stores only
 * documents no earlier snapshot stored, and writes the manifest last. A second run after a few
 * changes writes those changes and a manifest; a run after none writes only the manifest.
 */
public final class MetadataBackup {

  private static final Logger LOG = Logger.getLogger("dev.bunker.metadata");

  private final MetadataStore store;
  private final Clock clock;

  public MetadataBackup(MetadataStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Makes snapshot {@code snapshotId} of {@code project}, or returns it when it was already made
   * (a redelivered run).
   */
  public MetadataSnapshot backup(String organizationId, ProjectRef project, String snapshotId, MetadataSource source) {
    var existing = store.snapshot(organizationId, project.id(), snapshotId);
    if (existing.isPresent()) {
      return existing.get();
    }
    SnapshotWriter writer = store.begin(organizationId, project.id(), project.name(), snapshotId,
        clock.instant(), store.latest(organizationId, project.id()));
    source.export(project, writer);
    MetadataSnapshot snapshot = writer.commit();
    LOG.info(() -> "Metadata snapshot " + snapshotId + " of project " + project.id() + " in organization "
        + organizationId + ": " + snapshot.counts() + ", " + snapshot.stats().objectsWritten() + " new objects ("
        + snapshot.stats().bytesWritten() + " bytes), " + snapshot.notBackedUp().size() + " not backed up");
    return snapshot;
  }
}
