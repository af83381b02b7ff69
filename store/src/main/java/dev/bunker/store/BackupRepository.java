package dev.bunker.store;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The backups of one git repository: a git repository in storage whose refs mirror the source and
 * whose snapshots are refs under {@code refs/snapshots/<id>/}. Obtained from
 * {@link GitStore#repository(String)}; cheap to get, holds no resources between calls.
 *
 * <p>Writers ({@link #backup}, {@link #deleteSnapshots}, {@link #maintain}) take the repository's
 * lease, so one runs at a time; readers never block and always see a complete snapshot.
 */
public interface BackupRepository {

  /** The key this repository lives under, e.g. {@code orgs/<orgId>/repos/<repoId>}. */
  String key();

  /**
   * Fetches every ref of {@code source} ({@code +refs/*:refs/*}, pruned) and records snapshot
   * {@code id} of them. Only objects the store lacks are uploaded (none when nothing changed). The
   * snapshot becomes visible at once with its refs, or not at all.
   *
   * <p>Idempotent: when {@code id} is already recorded, returns it without fetching.
   *
   * @throws TransferException the source could not be fetched
   * @throws ConcurrentWriteException another writer took over the repository meanwhile
   * @throws RepositoryBusyException another writer held the repository too long
   */
  Snapshot backup(SnapshotId id, GitSource source);

  /**
   * Records that snapshot {@code id}, as {@code created} (its {@link Snapshot#created}), reaches no
   * Git LFS pointer ({@link Snapshot#lfsFree}), as the caller found where the backup could not
   * tell; for the snapshots after it to be told by their backups. Without the writer lease, and
   * only on the manifest as read: false when another writer came first or holds the lease, or no
   * such snapshot is recorded (forgotten, or recorded again since under the same id), and nothing
   * changed then.
   */
  boolean recordLfsFree(SnapshotId id, Instant created);

  /** Every snapshot, oldest first, without refs. */
  List<Snapshot> snapshots();

  /** One snapshot with its refs, if recorded. */
  Optional<Snapshot> snapshot(SnapshotId id);

  /**
   * Writes the snapshot as a git bundle (v2) to {@code out}, streaming: refs under their source
   * names plus HEAD. {@code git clone --mirror} of it gives exactly the snapshot's refs. Its pack
   * holds exactly the objects reachable from them, stored objects and deltas copied without a new
   * delta search.
   */
  BundleReport writeBundle(SnapshotId id, OutputStream out);

  /**
   * The snapshot's bundle as its header and a stored pack, when one pack is all of it: the store
   * holds no other pack with objects, and that pack is marked as the bundle of a snapshot with the
   * same refs. A pack is so marked when a backup received it into a store that held no objects
   * (what the source sent for its refs: exactly the objects they reach when the source sends no
   * more than asked for, as git's does), and when maintenance wrote it while every snapshot had
   * the same refs (the GC pack holds exactly what they reach). Reads the manifest and the
   * reftables; empty otherwise, when {@link #writeBundle} must make it.
   *
   * @throws SnapshotNotFoundException no such snapshot
   */
  Optional<StoredBundle> storedBundle(SnapshotId id);

  /**
   * The bytes of the packs the snapshot's objects are read from (every live pack: snapshots share
   * them), read from the manifest alone: what its bundle comes to at most, but for its refs and
   * for objects stored as deltas of objects it lacks, which go whole. Empty when the store has no
   * such snapshot.
   */
  OptionalLong storedBytes(SnapshotId id);

  /**
   * The Git LFS pointers in files of the snapshot's commits, leaving out those already in snapshot
   * {@code since} (so each backup looks only at what it brought). Asked right after the backup that
   * made the snapshot, in the same process, with {@code since} the snapshot before it, the answer is
   * what that backup's fetch found in the pack as it parsed it: nothing is read. Otherwise the new
   * refs' objects are walked, each blob read once and only when small enough to be a pointer.
   */
  Set<LfsPointer> lfsPointers(SnapshotId id, Optional<SnapshotId> since);

  /**
   * Reads every object reachable from the snapshot's refs out of storage (none of it from this
   * process's caches) and checks that each is there and hashes to its id, streaming. With {@code
   * since}, an earlier snapshot already verified, the objects reachable from it are left out (a
   * snapshot forgotten meanwhile is ignored: everything is checked). Damage is the result, not an
   * error.
   *
   * @throws SnapshotNotFoundException no such snapshot
   * @throws StoreException storage did not answer; nothing is known about the data
   */
  Verification verify(SnapshotId id, Optional<SnapshotId> since);

  /**
   * Pushes the snapshot's refs (those the target's filter accepts) into a target that has no other
   * refs, never overwriting one. When the target has a ref the snapshot lacks or has at another
   * commit, nothing is pushed and the result names those refs as rejected; refs already equal to the
   * snapshot's (an interrupted push of it) stay. Every ref is pushed without force and with expected
   * old id zero, so a ref the target gets meanwhile is refused by the server, not overwritten.
   */
  PushResult push(SnapshotId id, GitTarget target);

  /** Writes the snapshot as a plain bare repository (one pack, packed refs, HEAD) into an empty
   * or missing directory. */
  void writeBareRepository(SnapshotId id, Path directory);

  /** Deletes snapshots (their refs and records) in one atomic change; unknown ids are ignored.
   * Their objects go away at the next {@link #maintain}. */
  void deleteSnapshots(Collection<SnapshotId> ids);

  /** Repacks, compacts reftables, deletes what waited out its grace period, sweeps orphans. */
  MaintenanceReport maintain(MaintenanceOptions options);
}
