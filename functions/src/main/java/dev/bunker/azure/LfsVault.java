package dev.bunker.azure;

import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.SnapshotCheck;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.port.Leases;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.retention.CollectorLocks;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.LfsReceiver;
import dev.bunker.store.Snapshot;
import dev.bunker.store.SnapshotId;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The git vault with Git LFS: after each backup, the LFS objects that the backup's new commits
 * point to are downloaded from the repository's LFS server and stored once per organization by
 * sha-256 ({@link LfsObjects}), streamed and checked against their pointer. Each snapshot gets an
 * index of every pointer it holds (the previous snapshot's and the new ones), which is what
 * garbage collection keeps objects for and what a restore uploads. A failed download fails the
 * backup (the queue retries it, and the retry looks again at the same commits); an object the
 * server cannot offer is logged, marked unavailable in the index and asked for again by the next
 * backup. Bundles carry the pointer files only; a restore by
 * push uploads the objects to the target's LFS server with the target's credential. A backup
 * relies on objects that exist already from the moment it looks until its index names them, so it
 * holds a writer lease over that time and garbage collection runs only while no backup of the
 * organization holds one ({@link CollectorLocks}); a snapshot whose index names no object, the
 * snapshot before it naming none either, relies on none and takes no lease. A snapshot the store
 * knows to reach no pointer at all ({@link Snapshot#lfsFree}, most repositories) gets no index: the
 * store's word stands for an empty one.
 */
public final class LfsVault implements RepositoryVault {
  private static final Logger LOG = Logger.getLogger(LfsVault.class.getName());
  /** How long an LFS object no snapshot names stays: as long as dropped git packs. */
  static final Duration GRACE = Duration.ofDays(1);

  /** Downloads LFS objects of a repository (the Azure DevOps client). */
  @FunctionalInterface
  public interface Downloads {
    void download(GitEndpoint repository, List<LfsPointer> pointers, LfsReceiver receiver);
  }

  /**
   * Uploads LFS objects to a repository's LFS server; {@code open} reads one from the backup.
   * Returns how many the server asked for and got.
   */
  @FunctionalInterface
  public interface Uploads {
    int upload(GitEndpoint repository, List<LfsPointer> pointers, Function<LfsPointer, InputStream> open);
  }

  private final RepositoryVault vault;
  private final GitStore store;
  private final LfsObjects objects;
  private final Downloads downloads;
  private final Uploads uploads;
  private final CollectorLocks locks;
  private final Clock clock;

  public LfsVault(RepositoryVault vault, GitStore store, LfsObjects objects, Downloads downloads, Uploads uploads,
      Leases leases, Clock clock) {
    this.vault = vault;
    this.store = store;
    this.objects = objects;
    this.downloads = downloads;
    this.uploads = uploads;
    this.locks = new CollectorLocks(leases, LfsObjects.LOCKS);
    this.clock = clock;
  }

  @Override
  public SnapshotSummary backup(RepositoryKey repository, String snapshotId, GitEndpoint source) {
    SnapshotSummary summary = vault.backup(repository, snapshotId, source);
    if (summary.lfsFree()) {
      // relies on no LFS object, and the store says so: no index to write, no lease (2 storage
      // requests fewer per backup: the previous index read, the new one written)
      return summary;
    }
    BackupRepository stored = store.repository(GitStoreVault.key(repository));
    // the id the store made it under (a retry may find it made under the run's earlier id form)
    SnapshotId id = SnapshotId.parse(summary.snapshotId());
    // the store says which snapshot came before: its manifest is not read again
    Optional<SnapshotId> previous = Optional.ofNullable(summary.after()).map(SnapshotId::parse);
    Optional<LfsObjects.Index> previousIndex = previous.flatMap(p -> readIndex(repository, stored, p));
    // taken from what the fetch found (a lease refused below costs the retry a walk of the new objects)
    Set<LfsPointer> added = summary.unchangedSince() != null ? Set.of() : stored.lfsPointers(id, previous);
    // an earlier snapshot without an index is read from its commits, under the lease below
    boolean earlierNamesNone = previous.isEmpty() || previousIndex.filter(LfsObjects.Index::isEmpty).isPresent();
    if (added.isEmpty() && earlierNamesNone) {
      // it names no LFS object, so it relies on none: no writer lease against garbage collection (for
      // most repositories, which hold no LFS object, 3 to 5 storage requests fewer per backup). The
      // store records so, where its backup could not tell (a snapshot from before it could, or one
      // whose new objects it did not all see), and tells the backups after it; an empty index
      // stands in when another writer came first.
      if (!stored.recordLfsFree(id, summary.recordedAt())) {
        objects.writeIndex(repository.organizationId(), repository.repositoryId(), id.toString(), Set.of(),
            Set.of());
      }
      return summary;
    }
    try (Leases.Held writing = locks.writer(repository.organizationId(), repository.repositoryId())
        .orElseThrow(() -> new UnavailableException("the LFS objects of snapshot " + id + " wait: garbage"
            + " collection of the organization's LFS objects, or another backup of this repository, is running"))) {
      backupLfs(repository, stored, summary, previous, previousIndex, added, source, writing);
    }
    return summary;
  }

  /**
   * Stores the LFS objects the snapshot's new commits point to and writes its index, stopping as soon
   * as {@code writing} is lost: garbage collection may then delete objects the index would name.
   */
  private void backupLfs(RepositoryKey repository, BackupRepository stored, SnapshotSummary summary,
      Optional<SnapshotId> previous, Optional<LfsObjects.Index> previousIndex, Set<LfsPointer> added,
      GitEndpoint source, Leases.Held writing) {
    String snapshotId = summary.snapshotId();
    // the new commits' objects, and those the server could not give to the previous backup: asked again
    Set<LfsPointer> wanted = new HashSet<>(added);
    previousIndex.ifPresent(index -> wanted.addAll(index.unavailable()));
    List<LfsPointer> missing = wanted.stream()
        .filter(pointer -> !objects.exists(repository.organizationId(), pointer.oid()))
        .sorted(Comparator.comparing(LfsPointer::oid))
        .toList();
    Receiver receiver = new Receiver(repository.organizationId(), writing);
    if (!missing.isEmpty()) {
      downloads.download(source, missing, receiver);
      LOG.info(() -> "repository " + repository.repositoryId() + ", snapshot " + snapshotId + ": "
          + receiver.stored.get() + " LFS objects stored (" + receiver.bytes.get() + " bytes), "
          + receiver.unavailable.size() + " unavailable");
    }
    Set<LfsPointer> all = new HashSet<>(added);
    previous.ifPresent(p -> all.addAll(index(repository, stored, p, previousIndex)));
    writing.ensureHeld();
    objects.writeIndex(repository.organizationId(), repository.repositoryId(), snapshotId, all, receiver.unavailable);
  }

  /** The pointers a snapshot holds: its index, or (made before indexes were) read from its commits and kept. */
  private Set<LfsPointer> index(RepositoryKey repository, BackupRepository stored, SnapshotId snapshot) {
    return index(repository, stored, snapshot, readIndex(repository, stored, snapshot));
  }

  /** A snapshot's index; for one without, empty when the store knows it reaches no pointer. */
  private Optional<LfsObjects.Index> readIndex(RepositoryKey repository, BackupRepository stored,
      SnapshotId snapshot) {
    return objects.readIndex(repository.organizationId(), repository.repositoryId(), snapshot.toString())
        .or(() -> stored.snapshots().stream().filter(s -> s.id().equals(snapshot) && s.lfsFree()).findFirst()
            .map(free -> LfsObjects.Index.NONE));
  }

  /** As {@link #index(RepositoryKey, BackupRepository, SnapshotId)}, with its index {@code read} already. */
  private Set<LfsPointer> index(RepositoryKey repository, BackupRepository stored, SnapshotId snapshot,
      Optional<LfsObjects.Index> read) {
    return read.map(LfsObjects.Index::pointers).orElseGet(() -> {
      Set<LfsPointer> pointers = stored.lfsPointers(snapshot, Optional.empty());
      objects.writeIndex(repository.organizationId(), repository.repositoryId(), snapshot.toString(), pointers,
          Set.of());
      return pointers;
    });
  }

  /** The git objects; LFS objects were checked against their pointer's sha-256 when stored. */
  @Override
  public SnapshotCheck verify(RepositoryKey repository, String snapshotId, Optional<String> since) {
    return vault.verify(repository, snapshotId, since);
  }

  @Override
  public List<SnapshotRef> refs(RepositoryKey repository, String snapshotId) {
    return vault.refs(repository, snapshotId);
  }

  /** Pushes the snapshot, then uploads the LFS objects it points to that the target's LFS server lacks. */
  @Override
  public void restore(RepositoryKey repository, String snapshotId, GitEndpoint target) {
    vault.restore(repository, snapshotId, target);
    BackupRepository stored = store.repository(GitStoreVault.key(repository));
    List<LfsPointer> pointers = index(repository, stored, SnapshotId.parse(snapshotId)).stream()
        .filter(pointer -> objects.exists(repository.organizationId(), pointer.oid()))
        .sorted(Comparator.comparing(LfsPointer::oid))
        .toList();
    if (!pointers.isEmpty()) {
      int uploaded = uploads.upload(target, pointers, pointer -> objects.open(repository.organizationId(),
          pointer.oid()));
      LOG.info(() -> "repository " + repository.repositoryId() + ", snapshot " + snapshotId + " restored: "
          + uploaded + " of " + pointers.size() + " LFS objects uploaded (the target had the others)");
    }
  }

  @Override
  public void forget(RepositoryKey repository, Collection<String> snapshotIds) {
    vault.forget(repository, snapshotIds);
    snapshotIds.forEach(id -> objects.forgetIndex(repository.organizationId(), repository.repositoryId(), id));
  }

  @Override
  public void maintain(RepositoryKey repository) {
    vault.maintain(repository);
  }

  /**
   * Deletes the organization's LFS objects no snapshot of {@code repositories} points to, once past
   * the grace period (snapshots made before indexes existed, or whose backup stopped before writing
   * one, get theirs first); while a backup of the organization stores LFS objects, next time.
   */
  @Override
  public void collectGarbage(String organizationId, Collection<RepositoryKey> repositories) {
    vault.collectGarbage(organizationId, repositories);
    Optional<Leases.Held> collector = locks.collector(organizationId);
    if (collector.isEmpty()) {
      LOG.info(() -> "organization " + organizationId + ": an LFS backup is running; LFS garbage is collected"
          + " next time");
      return;
    }
    LfsObjects.Collected collected;
    try (Leases.Held held = collector.get()) {
      for (RepositoryKey repository : repositories) {
        BackupRepository stored = store.repository(GitStoreVault.key(repository));
        // a snapshot the store knows to reach no pointer has none to keep, and no index to read
        stored.snapshots().stream().filter(snapshot -> !snapshot.lfsFree())
            .forEach(snapshot -> index(repository, stored, snapshot.id()));
      }
      collected = objects.collectGarbage(organizationId, clock.instant().minus(GRACE));
    }
    LOG.info(() -> "organization " + organizationId + ": LFS garbage collection deleted " + collected.deleted()
        + " objects (" + collected.bytesFreed() + " bytes); " + collected.referenced() + " referenced by "
        + collected.indexes() + " snapshots");
  }

  /** Keeps objects that match their pointer; counts what it kept, notes what the server could not give. */
  private final class Receiver implements LfsReceiver {
    private final String organizationId;
    private final Leases.Held writing;
    final AtomicInteger stored = new AtomicInteger();
    final Set<LfsPointer> unavailable = ConcurrentHashMap.newKeySet();
    final AtomicLong bytes = new AtomicLong();

    Receiver(String organizationId, Leases.Held writing) {
      this.organizationId = organizationId;
      this.writing = writing;
    }

    @Override
    public void object(LfsPointer pointer, InputStream content) throws IOException {
      writing.ensureHeld();
      switch (objects.store(organizationId, pointer, content)) {
        case STORED -> {
          stored.incrementAndGet();
          bytes.addAndGet(pointer.size());
        }
        case MISMATCH -> unavailable(pointer, "the server's content does not match the pointer");
        case ALREADY_STORED -> {}
      }
    }

    @Override
    public void unavailable(LfsPointer pointer, String reason) {
      unavailable.add(pointer);
      LOG.warning(() -> "LFS object " + pointer.oid() + " (" + pointer.size() + " bytes) not backed up: " + reason);
    }
  }
}
