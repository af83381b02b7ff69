package dev.bunker.store;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Git LFS pointers that backups in this process found in the packs they fetched, kept per
 * repository and snapshot until the LFS step that follows a backup asks for them
 * ({@link BackupRepository#lfsPointers}), for the latest {@value #KEPT} backups. Nothing is kept
 * across processes: a snapshot asked about later (a retried LFS step, an index rebuilt) has its
 * objects walked instead.
 */
final class FetchedLfsPointers {
  static final int KEPT = 64;

  /** Pointers found, with the snapshot whose refs were the store's live refs during the fetch. */
  private record Found(Optional<SnapshotId> since, Set<LfsPointer> pointers) {}

  private final Map<String, Found> found = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Found> eldest) {
      return size() > KEPT;
    }
  };

  synchronized void put(String key, SnapshotId id, Optional<SnapshotId> since, Set<LfsPointer> pointers) {
    found.put(key + " " + id, new Found(since, Set.copyOf(pointers)));
  }

  /** Forgets what a backup of snapshot {@code id} found: one recording it again replaces it. */
  synchronized void forget(String key, SnapshotId id) {
    found.remove(key + " " + id);
  }

  /** The pointers snapshot {@code id} brought since snapshot {@code since}, if its backup found them. */
  synchronized Optional<Set<LfsPointer>> take(String key, SnapshotId id, Optional<SnapshotId> since) {
    Found entry = found.get(key + " " + id);
    if (entry == null || !entry.since().equals(since)) {
      return Optional.empty();
    }
    found.remove(key + " " + id);
    return Optional.of(new HashSet<>(entry.pointers()));
  }
}
