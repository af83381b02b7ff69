package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.dfs.DfsPackCompactor;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsReftableDatabase;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;

/** {@link BackupRepository} as a JGit DFS repository over blobs ({@link BlobRepository}). */
final class DfsBackupRepository implements BackupRepository {
  private static final String SNAPSHOTS = "refs/snapshots/";

  private final StoreContext context;
  private final String key;
  private final String manifestName;

  DfsBackupRepository(StoreContext context, String key) {
    this.context = context;
    this.key = key;
    this.manifestName = key + "/manifest.json";
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

  @Override
  public Snapshot backup(SnapshotId id, GitSource source) {
    return write("backup " + id, true, repository -> {
      BlobObjDatabase objects = repository.getObjectDatabase();
      Optional<Manifest.SnapshotRecord> done = objects.manifest().snapshot(id.value());
      if (done.isPresent()) {
        return withRefs(repository, done.get());
      }
      FetchResult fetched = fetch(repository, source);
      Map<String, Ref> advertised = new TreeMap<>();
      for (Ref ref : fetched.getAdvertisedRefs()) {
        if (ref.getName().startsWith(Constants.R_REFS) && ref.getObjectId() != null) {
          advertised.put(ref.getName(), ref);
        }
      }
      Ref head = fetched.getAdvertisedRef(Constants.HEAD);
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
          advertised.size(), bytes, count);
      List<ReceiveCommand> commands = mirror(repository, advertised);
      for (Ref ref : advertised.values()) {
        commands.add(new ReceiveCommand(ObjectId.zeroId(), ref.getObjectId(),
            id.refPrefix() + ref.getName()));
      }
      objects.onNextRefCommit(m -> m.withSnapshot(record));
      apply(repository, commands);
      return withRefs(repository, record);
    }, null);
  }

  private FetchResult fetch(BlobRepository repository, GitSource source) throws IOException {
    String operation = "repository " + key + ": cannot fetch from " + source.url();
    try (Transport transport = Transport.open(repository, new URIish(source.url().toURL()))) {
      if (!(transport instanceof TransportHttp http)) {
        throw new TransferException("repository " + key + ": source " + source.url()
            + " is not a smart-HTTP git URL");
      }
      http.setHttpConnectionFactory(new RemoteConnections(http.getHttpConnectionFactory(),
          source.url(), source.allowList(), operation));
      http.setAdditionalHeaders(source.headers().get());
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

  /** Commands that make the live refs (all but snapshots) equal to the source's. */
  private List<ReceiveCommand> mirror(BlobRepository repository, Map<String, Ref> advertised)
      throws IOException {
    List<ReceiveCommand> commands = new ArrayList<>();
    Map<String, Ref> local = new TreeMap<>();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
      if (!ref.getName().startsWith(SNAPSHOTS)) {
        local.put(ref.getName(), ref);
      }
    }
    for (Ref ref : advertised.values()) {
      if (ref.getName().startsWith(SNAPSHOTS)) {
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

  /** Applies ref commands as one reftable, committed with the pending manifest edit. */
  private void apply(BlobRepository repository, List<ReceiveCommand> commands)
      throws IOException {
    BlobObjDatabase objects = repository.getObjectDatabase();
    if (commands.isEmpty()) {
      objects.commitManifestWithPendingEdit();
      return;
    }
    BatchRefUpdate batch = repository.getRefDatabase().newBatchUpdate()
        .setAllowNonFastForwards(true).setAtomic(true);
    batch.addCommand(commands);
    try (RevWalk walk = new RevWalk(repository)) {
      walk.setRetainBody(false);
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
    return toSnapshot(record).withRefs(refs(repository, new SnapshotId(record.id())).entrySet()
        .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name())));
  }

  private static Snapshot toSnapshot(Manifest.SnapshotRecord r) {
    return new Snapshot(new SnapshotId(r.id()), r.created(), r.headRef(), r.head(), r.refs(),
        r.bytesAdded(), r.objectsAdded(), Map.of());
  }

  /** The snapshot's refs under their source names, in name order. */
  private static Map<String, ObjectId> refs(BlobRepository repository, SnapshotId id)
      throws IOException {
    Map<String, ObjectId> refs = new TreeMap<>();
    String prefix = id.refPrefix();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(prefix)) {
      refs.put(ref.getName().substring(prefix.length()), ref.getObjectId());
    }
    return refs;
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

  private Manifest.SnapshotRecord require(BlobRepository repository, SnapshotId id)
      throws IOException {
    return repository.getObjectDatabase().manifest().snapshot(id.value())
        .orElseThrow(() -> new SnapshotNotFoundException("repository " + key
            + " has no snapshot " + id));
  }

  @Override
  public void writeBundle(SnapshotId id, OutputStream out) {
    read("write bundle of " + id, repository -> {
      Manifest.SnapshotRecord record = require(repository, id);
      Map<String, ObjectId> refs = refs(repository, id);
      BundleWriter bundle = new BundleWriter(repository);
      refs.forEach(bundle::include);
      headOf(record, refs).ifPresent(head -> bundle.include(Constants.HEAD, head));
      bundle.writeBundle(NullProgressMonitor.INSTANCE, out);
      return null;
    });
  }

  @Override
  public Set<LfsPointer> lfsPointers(SnapshotId id, Optional<SnapshotId> since) {
    return read("find LFS pointers of " + id, repository -> {
      require(repository, id);
      Set<LfsPointer> pointers = new HashSet<>();
      try (ObjectWalk walk = new ObjectWalk(repository)) {
        for (ObjectId tip : refs(repository, id).values()) {
          walk.markStart(walk.parseAny(tip));
        }
        if (since.isPresent()) {
          for (ObjectId tip : refs(repository, since.get()).values()) {
            walk.markUninteresting(walk.parseAny(tip));
          }
        }
        while (walk.next() != null) {
          // commits first; their trees and blobs follow from nextObject
        }
        ObjectReader reader = walk.getObjectReader();
        for (RevObject object = walk.nextObject(); object != null; object = walk.nextObject()) {
          if (object.getType() == Constants.OBJ_BLOB
              && reader.getObjectSize(object, Constants.OBJ_BLOB) < LfsPointer.MAX_SIZE) {
            LfsPointer.parse(reader.open(object, Constants.OBJ_BLOB).getCachedBytes()).ifPresent(pointers::add);
          }
        }
      }
      return pointers;
    });
  }

  @Override
  public Verification verify(SnapshotId id, Optional<SnapshotId> since) {
    try (BlobRepository repository = BlobRepository.openUncached(context, key)) {
      return explain("verify " + id, repository, r -> {
        require(r, id);
        Set<ObjectId> tips;
        try {
          tips = new HashSet<>(refs(r, id).values());
        } catch (IOException | RuntimeException e) {
          return SnapshotVerifier.unreadableRefs(r, id, e);
        }
        Optional<SnapshotId> base = since.filter(s -> !s.equals(id)
            && r.getObjectDatabase().manifestHas(s)); // one forgotten meanwhile: check all
        Set<ObjectId> verified = base.isEmpty() ? Set.of()
            : new HashSet<>(refs(r, base.get()).values());
        return SnapshotVerifier.verify(r, id, tips, base, verified);
      });
    }
  }

  /** HEAD of a snapshot: the commit its head ref points at, when that ref is in the snapshot. */
  private static Optional<ObjectId> headOf(Manifest.SnapshotRecord record,
      Map<String, ObjectId> refs) {
    return Optional.ofNullable(record.headRef()).map(refs::get);
  }

  @Override
  public PushResult push(SnapshotId id, GitTarget target) {
    return read("push " + id + " to " + target.url(), repository -> {
      require(repository, id);
      Map<String, ObjectId> pushed = new TreeMap<>();
      refs(repository, id).forEach((name, objectId) -> {
        if (target.refs().test(name)) {
          pushed.put(name, objectId);
        }
      });
      try (Transport transport = Transport.open(repository,
          new URIish(target.url().toURL()))) {
        if (!(transport instanceof TransportHttp http)) {
          throw new TransferException("target " + target.url() + " is not a smart-HTTP URL");
        }
        http.setHttpConnectionFactory(new RemoteConnections(http.getHttpConnectionFactory(),
            target.url(), target.allowList(),
            "repository " + key + ": cannot push snapshot " + id + " to " + target.url()));
        http.setAdditionalHeaders(target.headers().get());
        List<PushResult.RefPushed> inTheWay = inTheWay(transport, pushed);
        if (!inTheWay.isEmpty()) {
          return new PushResult(inTheWay);
        }
        // Expected old id zero: each ref is created, never moved. A ref that appears at the
        // target after the look above is refused by the server (old id no longer zero).
        List<RemoteRefUpdate> updates = new ArrayList<>();
        for (var ref : pushed.entrySet()) {
          updates.add(new RemoteRefUpdate(repository, null, ref.getValue(), ref.getKey(), false,
              null, ObjectId.zeroId()));
        }
        var result = transport.push(NullProgressMonitor.INSTANCE, updates);
        List<PushResult.RefPushed> refs = new ArrayList<>();
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          refs.add(new PushResult.RefPushed(update.getRemoteName(), outcome(update), reason(update)));
        }
        return new PushResult(refs);
      } catch (TransportException e) {
        throw new TransferException("repository " + key + ": cannot push snapshot " + id
            + " to " + target.url() + ": " + e.getMessage(), e);
      }
    });
  }

  /**
   * The target's refs that a push of {@code pushed} would have to overwrite or leave beside the
   * restored ones: any ref other than one the snapshot has with the same object id. Those equal
   * are what an earlier, interrupted push of the same snapshot left.
   */
  private static List<PushResult.RefPushed> inTheWay(Transport transport, Map<String, ObjectId> pushed)
      throws IOException {
    List<PushResult.RefPushed> inTheWay = new ArrayList<>();
    try (PushConnection connection = transport.openPush()) {
      for (Ref ref : new TreeMap<>(connection.getRefsMap()).values()) {
        ObjectId ours = pushed.get(ref.getName());
        if (!ref.getName().startsWith(Constants.R_REFS) || ref.getObjectId().equals(ours)) {
          continue;
        }
        inTheWay.add(new PushResult.RefPushed(ref.getName(), PushResult.Outcome.REJECTED,
            "the target already has it at " + ref.getObjectId().abbreviate(10).name()
                + (ours == null ? " and the snapshot does not" : ", the snapshot at " + ours.abbreviate(10).name())));
      }
    }
    return inTheWay;
  }

  private static PushResult.Outcome outcome(RemoteRefUpdate update) {
    return switch (update.getStatus()) {
      case OK -> PushResult.Outcome.UPDATED;
      case UP_TO_DATE -> PushResult.Outcome.UP_TO_DATE;
      default -> PushResult.Outcome.REJECTED;
    };
  }

  /** Why a ref was not written: the server's words, or what JGit found before sending it. */
  private static String reason(RemoteRefUpdate update) {
    return switch (update.getStatus()) {
      case OK, UP_TO_DATE -> null;
      case REJECTED_REMOTE_CHANGED -> "the target got this ref while the restore ran";
      default -> update.getMessage() != null ? "the target refused it: " + update.getMessage()
          : update.getStatus().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  @Override
  public void writeBareRepository(SnapshotId id, Path directory) {
    read("write snapshot " + id + " to " + directory, repository -> {
      Manifest.SnapshotRecord record = require(repository, id);
      Map<String, ObjectId> refs = refs(repository, id);
      if (Files.exists(directory)) {
        try (Stream<Path> entries = Files.list(directory)) {
          if (entries.findAny().isPresent()) {
            throw new StoreException(directory + " is not empty");
          }
        }
      }
      try (FileRepository bare = new FileRepository(directory.toFile())) {
        bare.create(true);
        if (!refs.isEmpty()) {
          writePack(repository, bare, new HashSet<>(refs.values()));
        }
        BatchRefUpdate batch = bare.getRefDatabase().newBatchUpdate().setAtomic(true);
        refs.forEach((name, objectId) ->
            batch.addCommand(new ReceiveCommand(ObjectId.zeroId(), objectId, name)));
        try (RevWalk walk = new RevWalk(bare)) {
          batch.execute(walk, NullProgressMonitor.INSTANCE);
        }
        for (ReceiveCommand command : batch.getCommands()) {
          if (command.getResult() != ReceiveCommand.Result.OK) {
            throw new StoreException("cannot write ref " + command.getRefName() + " into "
                + directory + ": " + command.getResult());
          }
        }
        if (headOf(record, refs).isPresent()) {
          RefUpdate head = bare.updateRef(Constants.HEAD);
          head.disableRefLog();
          head.link(record.headRef());
        }
      }
      return null;
    });
  }

  private static void writePack(BlobRepository from, FileRepository to, Set<ObjectId> wants)
      throws IOException {
    Path packs = to.getObjectDatabase().getPackDirectory().toPath();
    Files.createDirectories(packs);
    Path pack = Files.createTempFile(packs, "incoming_", ".pack");
    Path index = Files.createTempFile(packs, "incoming_", ".idx");
    try (ObjectReader reader = from.newObjectReader();
        PackWriter writer = new PackWriter(new PackConfig(from), reader)) {
      writer.preparePack(NullProgressMonitor.INSTANCE, wants, PackWriter.NONE);
      try (OutputStream out = Files.newOutputStream(pack)) {
        writer.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, out);
      }
      try (OutputStream out = Files.newOutputStream(index)) {
        writer.writeIndex(out);
      }
      String name = "pack-" + writer.computeName().name();
      // The index last: git only looks at packs that have one.
      Files.move(pack, packs.resolve(name + ".pack"), StandardCopyOption.ATOMIC_MOVE);
      Files.move(index, packs.resolve(name + ".idx"), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(pack);
      Files.deleteIfExists(index);
    }
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
      apply(repository, commands);
      return null;
    }, null);
  }

  @Override
  public MaintenanceReport maintain(MaintenanceOptions options) {
    MaintenanceReport nothing = new MaintenanceReport(0, 0, 0, 0, false, 0, 0);
    return write("maintenance", false, repository -> {
      BlobObjDatabase objects = repository.getObjectDatabase();
      Manifest before = objects.manifest();
      Instant now = context.clock().instant();
      Instant expired = now.minus(options.gracePeriod());
      boolean repacked = repack(repository, before, options, expired);
      int retiredDeleted = deleteRetired(objects, expired);
      int orphansDeleted = sweepOrphans(objects, expired);
      Manifest after = objects.manifest();
      return new MaintenanceReport(before.packs().size(), after.packs().size(), bytes(before),
          bytes(after), repacked, retiredDeleted, orphansDeleted);
    }, nothing);
  }

  private boolean repack(BlobRepository repository, Manifest manifest,
      MaintenanceOptions options, Instant expired) throws IOException {
    List<Manifest.Pack> packs = manifest.packs();
    boolean garbageExpired = packs.stream().anyMatch(p -> isExpiredGarbage(p, expired));
    if (options.fullGc() && (packs.size() > 2 || garbageExpired || options.aggressive()
        || !hasSingleGcPack(packs))) {
      DfsGarbageCollector gc = new DfsGarbageCollector(repository);
      PackConfig config = new PackConfig(repository);
      config.setSinglePack(true);
      config.setBuildBitmaps(true);
      if (options.aggressive()) {
        // git gc --aggressive's settings
        config.setDeltaCompress(true);
        config.setReuseDeltas(false);
        config.setDeltaSearchWindowSize(250);
        config.setMaxDeltaDepth(50);
      } else {
        // Keep the deltas the source's server made and search no new ones: a routine GC then
        // mostly copies bytes, instead of reading every whole object back from storage to try
        // deltas that rarely pay (binaries); the aggressive option does the deep search.
        config.setDeltaCompress(false);
      }
      gc.setPackConfig(config);
      gc.setReftableConfig(((DfsReftableDatabase) repository.getRefDatabase())
          .getReftableConfig());
      // Unreachable objects go to a garbage pack (a backup may still reuse them); garbage packs
      // older than the grace period are dropped here, in the same commit as the GC pack, which
      // holds every object still reachable. JGit's own expiry and coalescing of garbage packs
      // would go by the wall clock, so both are off.
      gc.setGarbageTtl(Long.MAX_VALUE / 2, TimeUnit.MILLISECONDS);
      gc.setCoalesceGarbageLimit(0);
      repository.getObjectDatabase().onNextRefCommit(m -> m.withPacks(List.of(),
          m.packs().stream().filter(p -> isExpiredGarbage(p, expired))
              .map(Manifest.Pack::name).collect(Collectors.toSet()),
          context.clock().instant()));
      return gc.pack(NullProgressMonitor.INSTANCE);
    }
    if (packs.size() >= options.compactAtPacks()) {
      DfsPackCompactor compactor = new DfsPackCompactor(repository).autoAdd();
      compactor.compact(NullProgressMonitor.INSTANCE);
      return !compactor.getSourcePacks().isEmpty();
    }
    return false;
  }

  private static boolean isExpiredGarbage(Manifest.Pack pack, Instant expired) {
    return pack.source().equals(PackSource.UNREACHABLE_GARBAGE.name())
        && pack.lastModified() < expired.toEpochMilli();
  }

  private static boolean hasSingleGcPack(List<Manifest.Pack> packs) {
    return packs.size() == 1 && packs.get(0).source().equals(PackSource.GC.name());
  }

  private int deleteRetired(BlobObjDatabase objects, Instant expired) throws IOException {
    Manifest manifest = objects.manifest();
    Set<String> done = new HashSet<>();
    int deleted = 0;
    for (Manifest.Retired retired : manifest.retired()) {
      if (retired.retiredAt().isAfter(expired)) {
        continue;
      }
      for (String extension : retired.files()) {
        context.blobs().delete(objects.blobName(retired.name(), extension));
        deleted++;
      }
      done.add(retired.name());
    }
    if (!done.isEmpty()) {
      objects.commitManifest(m -> m.withoutRetired(done));
    }
    return deleted;
  }

  /** Deletes blobs under packs/ that no manifest entry names, once older than the grace period
   * (a writer that crashed after writing them; a writer still at work is younger). */
  private int sweepOrphans(BlobObjDatabase objects, Instant expired) throws IOException {
    Manifest manifest = objects.manifest();
    Set<String> known = new HashSet<>();
    for (Manifest.Pack pack : manifest.packs()) {
      pack.files().keySet().forEach(ext -> known.add(objects.blobName(pack.name(), ext)));
    }
    for (Manifest.Retired retired : manifest.retired()) {
      retired.files().forEach(ext -> known.add(objects.blobName(retired.name(), ext)));
    }
    int deleted = 0;
    for (Blobs.BlobInfo blob : context.blobs().list(key + "/packs/")) {
      if (!known.contains(blob.name()) && !blob.lastModified().isAfter(expired)) {
        context.blobs().delete(blob.name());
        deleted++;
      }
    }
    return deleted;
  }

  private static long bytes(Manifest manifest) {
    return manifest.packs().stream()
        .flatMap(p -> p.files().values().stream()).mapToLong(Long::longValue).sum();
  }
}
