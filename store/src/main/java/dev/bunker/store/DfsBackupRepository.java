package dev.bunker.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;

/**
 * {@link BackupRepository} as a JGit DFS repository over blobs ({@link BlobRepository}): backups
 * and the snapshot catalogue here, under the writer lease where they write objects; exports in
 * {@link SnapshotExporter}, maintenance in {@link RepositoryMaintenance}.
 */
final class DfsBackupRepository implements BackupRepository {
  private final StoreContext context;
  private final String key;
  private final String manifestName;
  private final SnapshotExporter exporter;

  DfsBackupRepository(StoreContext context, String key) {
    this.context = context;
    this.key = key;
    this.manifestName = key + "/manifest.json";
    this.exporter = new SnapshotExporter(key, context.options().transferTimeout());
  }

  @Override
  public String key() {
    return key;
  }

  /** Work on the repository that may fail with I/O; turns failures into clear store errors. */
  private interface Work<T> {
    T run(BlobRepository repository) throws IOException;
  }

  private <T> T read(String what, Work<T> work) {
    try (BlobRepository repository = BlobRepository.open(context, key, null)) {
      return explain(what, repository, work);
    }
  }

  private <T> T write(String what, boolean create, Work<T> work, T ifAbsent) {
    if (!create && !exists()) {
      return ifAbsent;
    }
    try (WriterLease lease = WriterLease.acquire(context, key, manifestName);
        BlobRepository repository = BlobRepository.open(context, key, lease)) {
      return explain(what, repository, work);
    }
  }

  private boolean exists() {
    try {
      return context.blobs().read(manifestName).isPresent();
    } catch (IOException e) {
      throw new StoreException("repository " + key + ": cannot read manifest.json: "
          + e.getMessage(), e);
    }
  }

  private <T> T explain(String what, BlobRepository repository, Work<T> work) {
    try {
      return work.run(repository);
    } catch (StoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      StoreException cause = storeCause(e);
      if (cause != null) {
        throw cause;
      }
      List<String> faults = repository.getObjectDatabase().storageFailures();
      // storage that did not answer is a failure to retry, even after damage was met on the way
      if (!faults.isEmpty() && !unanswered(e)) {
        throw new CorruptRepositoryException(String.join("; ", faults), e);
      }
      throw new StoreException("repository " + key + ": " + what + " failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * Most backups find the source as it was, or only refs moved to objects the store holds: they
   * write a reftable and the manifest, nothing else, and do so without the writer lease (2
   * requests fewer). Their manifest write is conditional on the version they read, which storage
   * refuses after any other writer's write and while another writer holds the lease. A backup that
   * has objects to fetch takes the lease before it asks the source for them, on the manifest as it
   * read it ({@link BlobObjDatabase#takeLease}). When either finds another writer came first,
   * nothing of the backup was written, and it starts again, under the lease from the start.
   */
  @Override
  public Snapshot backup(SnapshotId id, GitSource source) {
    ConcurrentWriteException overtaken;
    try (BlobRepository repository = BlobRepository.open(context, key, null)) {
      try {
        return explain("backup " + id, repository, r -> backup(r, id, source));
      } catch (ConcurrentWriteException e) {
        if (repository.getObjectDatabase().holdsLease()) {
          throw e;
        }
        overtaken = e;
      }
    }
    try {
      return write("backup " + id, true, repository -> backup(repository, id, source), null);
    } catch (RuntimeException e) {
      e.addSuppressed(overtaken); // why it started again
      throw e;
    }
  }

  private Snapshot backup(BlobRepository repository, SnapshotId id, GitSource source) throws IOException {
    BlobObjDatabase objects = repository.getObjectDatabase();
    // made already (a redelivered message), also under the second-only id an earlier version gave
    // the same run
    Manifest manifest = objects.manifest();
    Optional<Manifest.SnapshotRecord> done = manifest.snapshot(id.value())
        .or(() -> id.secondForm().flatMap(earlier -> manifest.snapshot(earlier.value())));
    SnapshotId named = done.map(record -> new SnapshotId(record.id())).orElse(id);
    Optional<SnapshotId> previous = manifest.snapshots().stream()
        .map(record -> new SnapshotId(record.id())).filter(other -> other.compareTo(named) < 0)
        .max(Comparator.naturalOrder());
    boolean heldNoObjects = manifest.objectPacks().isEmpty();
    if (done.isPresent()) {
      return withRefs(repository, done.get()).after(previous);
    }
    // an earlier record of this id (forgotten since) left what its fetch found: not this one's
    context.fetchedLfsPointers().forget(key, id);
    FetchResult fetched = repository.liveRefsOnly(() -> fetch(repository, source));
    Map<String, Ref> advertised = new TreeMap<>();
    for (Ref ref : fetched.getAdvertisedRefs()) {
      if (ref.getName().startsWith(Constants.R_REFS) && ref.getObjectId() != null) {
        advertised.put(ref.getName(), ref);
      }
    }
    Ref head = fetched.getAdvertisedRef(Constants.HEAD);
    Map<String, ObjectId> previousRefs = previous.isEmpty() ? Map.of()
        : SnapshotRefs.refs(repository, previous.get());
    Optional<SnapshotId> unchangedSince = previousRefs.equals(ids(advertised)) ? previous
        : Optional.empty();
    Map<String, Ref> live = repository.liveRefs();
    // A smart-protocol fetch told the source it had what the live refs reach and nothing else
    // (liveRefsOnly), so the source sent every object of the new refs that those refs do not reach,
    // and the pack parser saw each blob of it. When the live refs were the previous snapshot's, the
    // pointers it found are all that the snapshot's objects hold beyond the previous snapshot's: no
    // walk needed. Objects the store held without the live refs reaching them (a branch deleted and
    // restored) were sent again. With no pack asked for and parsed (the store had every object
    // asked for, so nothing was fetched; a dumb-HTTP source), objects that came otherwise, or other
    // live refs, lfsPointers walks the new refs' objects as before.
    Optional<Set<LfsPointer>> received = objects.receivedLfsPointers()
        .filter(pointers -> ids(live).equals(previousRefs));
    // The snapshot reaches what the previous one reaches, when its refs point at nothing else (no
    // change, a branch deleted), or that and what was received: with no pointer in either, none.
    boolean lfsFree = previous.flatMap(p -> manifest.snapshot(p.value()))
        .map(Manifest.SnapshotRecord::lfsFree).orElse(previous.isEmpty())
        && (Set.copyOf(previousRefs.values()).containsAll(ids(advertised).values())
            || received.filter(Set::isEmpty).isPresent());
    long bytes = 0;
    long count = 0;
    for (DfsPackDescription pack : objects.committedPacks()) {
      bytes += pack.getFileSize(PackExt.PACK);
      count += pack.getObjectCount();
    }
    Manifest.SnapshotRecord record = new Manifest.SnapshotRecord(id.value(),
        context.clock().instant(),
        head != null && head.isSymbolic() ? head.getTarget().getName() : null,
        head != null && head.getObjectId() != null ? head.getObjectId().name() : null,
        advertised.size(), bytes, count, lfsFree);
    List<ReceiveCommand> commands = mirror(live, advertised);
    for (Ref ref : advertised.values()) {
      commands.add(new ReceiveCommand(ObjectId.zeroId(), ref.getObjectId(),
          id.refPrefix() + ref.getName()));
    }
    // What a store that held no objects receives is what the source sent for these refs, a whole
    // pack (no thin pack: the source was told of nothing to build deltas on, and the store had
    // no base to complete one with): the snapshot's bundle as stored (storedBundle).
    objects.onNextRefCommit(heldNoObjects ? m -> m.withSnapshot(record).withBundleOf(id.value())
        : m -> m.withSnapshot(record));
    apply(repository, commands, live.values());
    if (!lfsFree) { // the LFS step asks nothing of a snapshot that reaches no pointer
      received.ifPresent(pointers -> context.fetchedLfsPointers().put(key, id, previous, pointers));
    }
    // the refs just written, as written: not read back
    Snapshot made = toSnapshot(record).withRefs(advertised.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getObjectId().name())));
    return unchangedSince.map(made::sameRefsAs).orElse(made).after(previous);
  }

  @Override
  public boolean recordLfsFree(SnapshotId id, Instant created) {
    try {
      return read("record snapshot " + id + " as reaching no LFS pointer", repository -> {
        BlobObjDatabase objects = repository.getObjectDatabase();
        Optional<Manifest.SnapshotRecord> record = objects.manifest().snapshot(id.value())
            .filter(found -> found.created().equals(created));
        if (record.isEmpty() || record.get().lfsFree()) {
          return record.isPresent();
        }
        objects.commitManifest(manifest -> manifest.withSnapshot(record.get().asLfsFree()));
        return true;
      });
    } catch (ConcurrentWriteException e) {
      return false;
    }
  }

  static Map<String, ObjectId> ids(Map<String, Ref> refs) {
    Map<String, ObjectId> ids = new TreeMap<>();
    refs.forEach((name, ref) -> ids.put(name, ref.getObjectId()));
    return ids;
  }

  private FetchResult fetch(BlobRepository repository, GitSource source) throws IOException {
    String operation = "repository " + key + ": cannot fetch from " + source.url();
    try (Transport transport = Transport.open(repository, new URIish(source.url().toURL()))) {
      if (!(transport instanceof TransportHttp http)) {
        throw new TransferException("repository " + key + ": source " + source.url()
            + " is not a smart-HTTP git URL");
      }
      http.setHttpConnectionFactory(new BeforeObjectsAreAsked(new RemoteConnections(
          http.getHttpConnectionFactory(), source.url(), source.allowList(), operation),
          repository.getObjectDatabase()::objectsAsked));
      http.setAdditionalHeaders(source.headers().get());
      transport.setTimeout((int) context.options().transferTimeout().toSeconds());
      // Refs are updated below together with the snapshot refs, in one atomic change.
      transport.setDryRun(true);
      transport.setTagOpt(TagOpt.NO_TAGS);
      return transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+refs/*:refs/*")));
    } catch (TransportException e) {
      StoreException cause = storeCause(e);
      if (cause != null) {
        throw cause; // not the source's fault: storing what it sent failed
      }
      throw new TransferException(operation + ": " + e.getMessage(), e);
    }
  }

  private static boolean unanswered(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BlobUnavailableException) {
        return true;
      }
    }
    return false;
  }

  /** A store failure that JGit wrapped on its way up, if any. */
  private static StoreException storeCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof StoreException store) {
        return store;
      }
    }
    return null;
  }

  /** Commands that make the {@code live} refs equal to the source's. */
  private static List<ReceiveCommand> mirror(Map<String, Ref> live, Map<String, Ref> advertised) {
    List<ReceiveCommand> commands = new ArrayList<>();
    Map<String, Ref> local = new TreeMap<>(live);
    for (Ref ref : advertised.values()) {
      if (ref.getName().startsWith(SnapshotId.REFS)) {
        continue; // kept in the snapshot, but the live namespace is ours
      }
      Ref old = local.remove(ref.getName());
      ObjectId oldId = old == null ? ObjectId.zeroId() : old.getObjectId();
      if (!oldId.equals(ref.getObjectId())) {
        commands.add(new ReceiveCommand(oldId, ref.getObjectId(), ref.getName()));
      }
    }
    for (Ref gone : local.values()) {
      commands.add(new ReceiveCommand(gone.getObjectId(), ObjectId.zeroId(), gone.getName()));
    }
    return commands;
  }

  /**
   * Applies ref commands as one reftable, committed with the pending manifest edit; the objects
   * {@code known} refs point at are taken as present without reading them ({@link KnownRefsWalk}).
   */
  private void apply(BlobRepository repository, List<ReceiveCommand> commands, Collection<Ref> known)
      throws IOException {
    BlobObjDatabase objects = repository.getObjectDatabase();
    if (commands.isEmpty()) {
      objects.commitManifestWithPendingEdit();
      return;
    }
    BatchRefUpdate batch = repository.getRefDatabase().newBatchUpdate()
        .setAllowNonFastForwards(true).setAtomic(true);
    batch.addCommand(commands);
    try (RevWalk walk = new KnownRefsWalk(repository, known)) {
      batch.execute(walk, NullProgressMonitor.INSTANCE);
    }
    for (ReceiveCommand command : batch.getCommands()) {
      if (command.getResult() != ReceiveCommand.Result.OK) {
        throw new ConcurrentWriteException("repository " + key + ": ref " + command.getRefName()
            + " could not be updated (" + command.getResult() + " "
            + Optional.ofNullable(command.getMessage()).orElse("") + "); nothing of this change"
            + " became visible");
      }
    }
  }

  private Snapshot withRefs(BlobRepository repository, Manifest.SnapshotRecord record)
      throws IOException {
    return toSnapshot(record).withRefs(SnapshotRefs.refs(repository, new SnapshotId(record.id())).entrySet()
        .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name())));
  }

  private static Snapshot toSnapshot(Manifest.SnapshotRecord r) {
    return new Snapshot(new SnapshotId(r.id()), r.created(), r.headRef(), r.head(), r.refs(),
        r.bytesAdded(), r.objectsAdded(), r.lfsFree(), Map.of(), null, null);
  }

  @Override
  public List<Snapshot> snapshots() {
    return read("list snapshots", repository -> repository.getObjectDatabase().manifest()
        .snapshots().stream().map(DfsBackupRepository::toSnapshot).toList());
  }

  @Override
  public Optional<Snapshot> snapshot(SnapshotId id) {
    return read("read snapshot " + id, repository -> {
      Optional<Manifest.SnapshotRecord> record =
          repository.getObjectDatabase().manifest().snapshot(id.value());
      return record.isEmpty() ? Optional.empty()
          : Optional.of(withRefs(repository, record.get()));
    });
  }

  @Override
  public OptionalLong storedBytes(SnapshotId id) {
    return read("size up snapshot " + id, repository -> {
      Manifest manifest = repository.getObjectDatabase().manifest();
      return manifest.snapshot(id.value()).isEmpty() ? OptionalLong.empty()
          : OptionalLong.of(manifest.packs().stream()
              .mapToLong(pack -> pack.files().getOrDefault(PackExt.PACK.getExtension(), 0L)).sum());
    });
  }

  @Override
  public BundleReport writeBundle(SnapshotId id, OutputStream out) {
    return read("write bundle of " + id, repository -> exporter.writeBundle(repository, id, out));
  }

  @Override
  public Optional<StoredBundle> storedBundle(SnapshotId id) {
    return read("look for the stored bundle of " + id, repository -> exporter.storedBundle(repository, id));
  }

  @Override
  public Set<LfsPointer> lfsPointers(SnapshotId id, Optional<SnapshotId> since) {
    Optional<Set<LfsPointer>> fetched = context.fetchedLfsPointers().take(key, id, since);
    if (fetched.isPresent()) {
      return fetched.get();
    }
    return read("find LFS pointers of " + id, repository -> {
      SnapshotRefs.require(repository, key, id);
      Set<ObjectId> tips = new HashSet<>(SnapshotRefs.refs(repository, id).values());
      Set<ObjectId> known = since.isEmpty() ? Set.of()
          : new HashSet<>(SnapshotRefs.refs(repository, since.get()).values());
      return LfsPointerWalk.newSince(repository, tips, known);
    });
  }

  @Override
  public Verification verify(SnapshotId id, Optional<SnapshotId> since) {
    try (BlobRepository repository = BlobRepository.openUncached(context, key)) {
      return explain("verify " + id, repository, r -> {
        SnapshotRefs.require(r, key, id);
        Set<ObjectId> tips;
        try {
          tips = new HashSet<>(SnapshotRefs.refs(r, id).values());
        } catch (IOException | RuntimeException e) {
          return SnapshotVerifier.unreadableRefs(r, id, e);
        }
        Optional<SnapshotId> base = since.filter(s -> !s.equals(id)
            && r.getObjectDatabase().manifestHas(s)); // one forgotten meanwhile: check all
        Set<ObjectId> verified = base.isEmpty() ? Set.of()
            : new HashSet<>(SnapshotRefs.refs(r, base.get()).values());
        if (base.isEmpty()) {
          // every object is read: each pack once, as a push reads them (an incremental check reads
          // only what is new, mostly in the newest packs, and leaves the rest in storage)
          r.getObjectDatabase().readPacksLocally(0);
        }
        return SnapshotVerifier.verify(r, id, tips, base, verified);
      });
    }
  }

  @Override
  public PushResult push(SnapshotId id, GitTarget target) {
    return read("push " + id + " to " + target.url(),
        repository -> exporter.push(repository, id, target));
  }

  @Override
  public void writeBareRepository(SnapshotId id, Path directory) {
    read("write snapshot " + id + " to " + directory, repository -> {
      exporter.writeBareRepository(repository, id, directory);
      return null;
    });
  }

  @Override
  public void deleteSnapshots(Collection<SnapshotId> ids) {
    write("delete snapshots", false, repository -> {
      Manifest manifest = repository.getObjectDatabase().manifest();
      Set<String> present = ids.stream().map(SnapshotId::value)
          .filter(id -> manifest.snapshot(id).isPresent()).collect(Collectors.toSet());
      if (present.isEmpty()) {
        return null;
      }
      List<ReceiveCommand> commands = new ArrayList<>();
      for (String id : present) {
        for (Ref ref : repository.getRefDatabase()
            .getRefsByPrefix(new SnapshotId(id).refPrefix())) {
          commands.add(new ReceiveCommand(ref.getObjectId(), ObjectId.zeroId(), ref.getName()));
        }
      }
      repository.getObjectDatabase().onNextRefCommit(m -> m.withoutSnapshots(present));
      apply(repository, commands, List.of());
      return null;
    }, null);
  }

  @Override
  public MaintenanceReport maintain(MaintenanceOptions options) {
    MaintenanceReport nothing = new MaintenanceReport(0, 0, 0, 0, false, 0, 0);
    return write("maintenance", false,
        repository -> new RepositoryMaintenance(repository, context, key).run(options), nothing);
  }
}
