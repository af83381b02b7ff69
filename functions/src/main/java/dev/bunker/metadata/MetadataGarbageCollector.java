package dev.bunker.metadata;

import dev.bunker.metadata.SnapshotIndex.Manifest;
import dev.bunker.store.blob.Blobs;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes an organization's content objects that no snapshot of any project refers to. Objects
 * written after a cut-off are kept: those of a backup still running, written before its manifest.
 * Do not run it alongside a metadata backup of the same organization (the collector locks keep
 * them apart): a backup counts on objects that exist already, referenced or not.
 */
final class MetadataGarbageCollector {
  private final ContentObjects objects;

  MetadataGarbageCollector(ContentObjects objects) {
    this.objects = objects;
  }

  /** Deletes what no snapshot refers to and was written before {@code writtenBefore}. */
  MetadataStore.Collected collect(String organizationId, Instant writtenBefore) {
    Set<String> referenced = new HashSet<>();
    int snapshots = 0;
    for (Blobs.BlobInfo manifest : objects.list(MetadataLayout.snapshotsRoot(organizationId))) {
      Optional<byte[]> bytes = objects.readBlob(manifest.name());
      if (bytes.isEmpty() || !MetadataLayout.isManifest(manifest.name())) {
        continue;
      }
      Manifest read = Manifest.read(bytes.get(), manifest.name());
      read.index().values().forEach(referenced::addAll);
      SnapshotIndex.entries(objects, organizationId, read).values()
          .forEach(byId -> referenced.addAll(byId.values()));
      snapshots++;
    }
    String prefix = MetadataLayout.objectsPrefix(organizationId);
    int deleted = 0;
    long freed = 0;
    for (Blobs.BlobInfo object : objects.list(prefix)) {
      String hash = object.name().substring(prefix.length());
      if (!referenced.contains(hash) && object.lastModified().isBefore(writtenBefore)
          && objects.delete(object.name())) {
        deleted++;
        freed += object.size();
      }
    }
    return new MetadataStore.Collected(snapshots, referenced.size(), deleted, freed);
  }
}
