package dev.bunker.metadata;

import dev.bunker.metadata.SnapshotIndex.Manifest;
import dev.bunker.store.blob.Blobs;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metadata snapshots in the backup container, content addressed (where each part lives:
 * {@link MetadataLayout}). An object's name is the sha-256 of its uncompressed content, so it is
 * written once however many snapshots, projects or work items refer to it ({@link ContentObjects}).
 * Which document ids a snapshot holds is kept in index chunks ({@link SnapshotIndex}) that its
 * manifest names. A {@link SnapshotWriter} writes objects and chunks before the manifest: a crash
 * leaves the previous snapshot whole (and some unreferenced objects for the
 * {@link MetadataGarbageCollector}). Storage failures surface as
 * {@link java.io.UncheckedIOException}s naming the blob.
 */
public final class MetadataStore {
  private final ContentObjects objects;
  private final MetadataGarbageCollector collector;

  public MetadataStore(Blobs blobs) {
    this.objects = new ContentObjects(blobs);
    this.collector = new MetadataGarbageCollector(objects);
  }

  /** Starts snapshot {@code snapshotId} of a project; {@code previous} lets unchanged documents cost nothing. */
  public SnapshotWriter begin(String organizationId, String projectId, String projectName, String snapshotId,
      Instant createdAt, Optional<MetadataSnapshot> previous) {
    MetadataLayout.checkName("organization id", organizationId);
    MetadataLayout.checkName("project id", projectId);
    MetadataLayout.checkName("snapshot id", snapshotId);
    return new SnapshotWriter(objects, organizationId, projectId, projectName, snapshotId, createdAt, previous,
        () -> snapshot(organizationId, projectId, snapshotId).orElseThrow());
  }

  /** Snapshot ids of a project, oldest first. */
  public List<String> snapshotIds(String organizationId, String projectId) {
    MetadataLayout.checkName("project id", projectId);
    String prefix = MetadataLayout.snapshotsPrefix(organizationId, projectId);
    return objects.list(prefix).stream()
        .flatMap(blob -> MetadataLayout.snapshotId(blob.name().substring(prefix.length())).stream())
        .sorted()
        .toList();
  }

  /** The newest snapshot of a project, if any. */
  public Optional<MetadataSnapshot> latest(String organizationId, String projectId) {
    List<String> ids = snapshotIds(organizationId, projectId);
    return ids.isEmpty() ? Optional.empty() : snapshot(organizationId, projectId, ids.get(ids.size() - 1));
  }

  public Optional<MetadataSnapshot> snapshot(String organizationId, String projectId, String snapshotId) {
    return manifest(organizationId, projectId, snapshotId)
        .map(manifest -> manifest.snapshot(SnapshotIndex.entries(objects, organizationId, manifest)));
  }

  /** A snapshot's counts, omissions and costs: its manifest alone, without reading its index. */
  public Optional<MetadataSnapshot.Summary> summary(String organizationId, String projectId, String snapshotId) {
    return manifest(organizationId, projectId, snapshotId).map(manifest -> manifest.snapshot(Map.of()).summary());
  }

  /** The projects of an organization that have metadata snapshots, in order of id. */
  public List<String> projectIds(String organizationId) {
    MetadataLayout.checkName("organization id", organizationId);
    String prefix = MetadataLayout.snapshotsRoot(organizationId);
    return objects.list(prefix).stream()
        .map(blob -> blob.name().substring(prefix.length()))
        .filter(name -> name.indexOf('/') > 0)
        .map(name -> name.substring(0, name.indexOf('/')))
        .distinct()
        .toList();
  }

  private Optional<Manifest> manifest(String organizationId, String projectId, String snapshotId) {
    MetadataLayout.checkName("project id", projectId);
    MetadataLayout.checkName("snapshot id", snapshotId);
    String name = MetadataLayout.manifestName(organizationId, projectId, snapshotId);
    return objects.readBlob(name).map(bytes -> Manifest.read(bytes, name));
  }

  /** Whether {@code value} can name an organization, project or snapshot in the store. */
  public static boolean isValidName(String value) {
    return MetadataLayout.isValidName(value);
  }

  /**
   * The content of object {@code hash}, checked against its hash.
   *
   * @throws java.io.UncheckedIOException when the object is missing or damaged
   */
  public byte[] object(String organizationId, String hash) {
    return objects.read(organizationId, hash);
  }

  /**
   * The content of object {@code hash} as a stream, for content too large to hold in memory: read
   * from storage as it is consumed, and checked against its hash at its end (a damaged object
   * fails the read there).
   *
   * @throws java.io.UncheckedIOException when the object is missing
   */
  public InputStream open(String organizationId, String hash) {
    return objects.open(organizationId, hash);
  }

  /**
   * Forgets snapshot {@code snapshotId}: deletes its manifest. What only it referred to stays until
   * {@link #collectGarbage}; retention decides which snapshots to forget (never a project's newest).
   */
  public boolean forget(String organizationId, String projectId, String snapshotId) {
    MetadataLayout.checkName("snapshot id", snapshotId);
    return objects.delete(MetadataLayout.manifestName(organizationId, projectId, snapshotId));
  }

  /** What a garbage collection found and removed. */
  public record Collected(int snapshots, int referenced, int deleted, long bytesFreed) {}

  /**
   * Deletes the organization's objects that no snapshot of any project refers to and that were
   * written before {@code writtenBefore} (see {@link MetadataGarbageCollector}).
   */
  public Collected collectGarbage(String organizationId, Instant writtenBefore) {
    MetadataLayout.checkName("organization id", organizationId);
    return collector.collect(organizationId, writtenBefore);
  }

  /** The ledger of restore {@code restoreId} of a snapshot of this organization, with what it made so far. */
  public RestoreLedger ledger(String organizationId, String restoreId) {
    MetadataLayout.checkName("organization id", organizationId);
    MetadataLayout.checkName("restore id", restoreId);
    return RestoreLedger.stored(objects, MetadataLayout.restorePrefix(organizationId, restoreId));
  }
}
