package dev.bunker.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A recorded backup of one repository.
 *
 * @param id the snapshot id
 * @param created when the backup recorded it (store clock)
 * @param headRef the ref the source's HEAD pointed at ({@code refs/heads/main}), or null
 * @param headCommit the commit HEAD resolved to, or null (empty repository, detached elsewhere)
 * @param refCount how many refs the snapshot holds
 * @param bytesAdded bytes of pack files and reftables this backup wrote
 * @param objectsAdded git objects this backup added (0 when nothing changed at the source)
 * @param lfsFree no blob the snapshot's refs reach is a Git LFS pointer; false where the backup could
 *     not tell without reading objects (it then reads them only when asked, {@link
 *     BackupRepository#lfsPointers})
 * @param refs ref name (as at the source, e.g. {@code refs/heads/main}) → object id (hex); empty
 *     in listings, filled by {@link BackupRepository#snapshot}
 * @param sameRefsAs the snapshot before it, when this one holds exactly its refs (nothing changed at
 *     the source); known only to the backup that made it, null elsewhere
 * @param after the snapshot before it in the repository, null for its first; known only to the backup
 *     that made it (or found it made), null elsewhere
 */
public record Snapshot(SnapshotId id, Instant created, String headRef, String headCommit,
    int refCount, long bytesAdded, long objectsAdded, boolean lfsFree, Map<String, String> refs,
    SnapshotId sameRefsAs, SnapshotId after) {

  public Snapshot {
    refs = Map.copyOf(refs);
  }

  public Optional<String> head() {
    return Optional.ofNullable(headCommit);
  }

  public Optional<SnapshotId> unchangedSince() {
    return Optional.ofNullable(sameRefsAs);
  }

  Snapshot withRefs(Map<String, String> all) {
    return new Snapshot(id, created, headRef, headCommit, refCount, bytesAdded, objectsAdded, lfsFree, all, sameRefsAs,
        after);
  }

  Snapshot sameRefsAs(SnapshotId previous) {
    return new Snapshot(id, created, headRef, headCommit, refCount, bytesAdded, objectsAdded, lfsFree, refs, previous,
        after);
  }

  Snapshot after(Optional<SnapshotId> previous) {
    return new Snapshot(id, created, headRef, headCommit, refCount, bytesAdded, objectsAdded, lfsFree, refs, sameRefsAs,
        previous.orElse(null));
  }
}
