package dev.bunker.metadata;

import java.util.Map;
import java.util.Optional;

/** Reads the documents of one snapshot, for a restore. */
public final class SnapshotReader {
  private final MetadataStore store;
  private final MetadataSnapshot snapshot;

  SnapshotReader(MetadataStore store, MetadataSnapshot snapshot) {
    this.store = store;
    this.snapshot = snapshot;
  }

  public MetadataSnapshot snapshot() {
    return snapshot;
  }

  /** Document ids of {@code kind} to content hashes. */
  public Map<String, String> entries(MetadataKind kind) {
    return snapshot.entries(kind);
  }

  /** Document {@code id} of {@code kind} as a stream (an attachment of any size), if the snapshot holds it. */
  public Optional<java.io.InputStream> open(MetadataKind kind, String id) {
    return snapshot.hash(kind, id).map(hash -> store.open(snapshot.organizationId(), hash));
  }

  /** The content of document {@code id} of {@code kind}, if the snapshot holds it. */
  public Optional<byte[]> document(MetadataKind kind, String id) {
    return snapshot.hash(kind, id).map(hash -> store.object(snapshot.organizationId(), hash));
  }
}
