package dev.bunker.store;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/** A snapshot's refs and head as a repository holds them (under the snapshot's ref prefix). */
final class SnapshotRefs {
  private SnapshotRefs() {}

  /** The snapshot's record, or {@link SnapshotNotFoundException} naming the repository. */
  static Manifest.SnapshotRecord require(BlobRepository repository, String key, SnapshotId id)
      throws IOException {
    return repository.getObjectDatabase().manifest().snapshot(id.value())
        .orElseThrow(() -> new SnapshotNotFoundException("repository " + key
            + " has no snapshot " + id));
  }

  /** The snapshot's refs under their source names, in name order. */
  static Map<String, ObjectId> refs(BlobRepository repository, SnapshotId id)
      throws IOException {
    Map<String, ObjectId> refs = new TreeMap<>();
    String prefix = id.refPrefix();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(prefix)) {
      refs.put(ref.getName().substring(prefix.length()), ref.getObjectId());
    }
    return refs;
  }

  /** HEAD of a snapshot: the commit its head ref points at, when that ref is in the snapshot. */
  static Optional<ObjectId> headOf(Manifest.SnapshotRecord record, Map<String, ObjectId> refs) {
    return Optional.ofNullable(record.headRef()).map(refs::get);
  }
}
