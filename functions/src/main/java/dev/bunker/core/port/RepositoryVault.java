package dev.bunker.core.port;

import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.SnapshotCheck;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.model.SourceException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The git store that holds backed-up repositories (JGit DFS over Azure Blob in production). Every
 * method is safe to repeat after a crash or a redelivered message.
 */
public interface RepositoryVault {
  /**
   * Fetches every ref of {@code source} into the repository and records them as snapshot {@code
   * snapshotId}, atomically. Idempotent: when the snapshot exists, returns it without fetching.
   * Source failures are {@link SourceException}s.
   */
  SnapshotSummary backup(RepositoryKey repository, String snapshotId, GitEndpoint source);

  /** The refs of a snapshot; {@link NotFoundException} when it does not exist. */
  List<SnapshotRef> refs(RepositoryKey repository, String snapshotId);

  /**
   * Reads every object reachable from the snapshot's refs out of storage (never from a cache) and
   * checks that each is there and hashes to its id. With {@code since}, an earlier snapshot found
   * intact, the objects reachable from it are left out. Damage is the result; a storage that does
   * not answer is an exception. {@link NotFoundException} when the snapshot does not exist.
   */
  SnapshotCheck verify(RepositoryKey repository, String snapshotId, Optional<String> since);

  /**
   * Pushes the snapshot's refs into {@code target}, which must have no other refs: refs in the way
   * are refused, never overwritten ({@link SourceException} with reason CONFLICT names them).
   */
  void restore(RepositoryKey repository, String snapshotId, GitEndpoint target);

  /** Deletes the snapshots' refs; their objects go at the next {@link #maintain}. Missing ids are ignored. */
  void forget(RepositoryKey repository, Collection<String> snapshotIds);

  /** Garbage-collects and compacts the repository (after forgetting snapshots). */
  void maintain(RepositoryKey repository);

  /**
   * Deletes what an organization's repositories share and none of their snapshots needs any more
   * (Git LFS objects), after a grace period; {@code repositories} are all the organization's.
   */
  default void collectGarbage(String organizationId, Collection<RepositoryKey> repositories) {}
}
