package dev.bunker.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
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
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.storage.pack.PackStatistics;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundle;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;

/**
 * Takes a snapshot out of the store: as a git bundle, pushed into a remote repository (creating
 * refs, never moving one), or written as a bare repository on disk.
 */
final class SnapshotExporter {
  private final String key;
  private final Duration transferTimeout;

  SnapshotExporter(String key, Duration transferTimeout) {
    this.key = key;
    this.transferTimeout = transferTimeout;
  }

  /**
   * A bundle is its header (the refs) and one pack holding exactly the objects reachable from the
   * refs, made by PackWriter from the stored objects and deltas. Objects were verified when stored
   * and the reader of a bundle hashes them again, so they are not re-validated here; no new delta
   * search either: stored deltas are reused, the rest go as stored. Where one stored pack is that
   * pack already, {@link #storedBundle} says so without counting anything.
   */
  BundleReport writeBundle(BlobRepository repository, SnapshotId id, OutputStream out) throws IOException {
    BundleRefs bundle = BundleRefs.of(repository, key, id);
    repository.getObjectDatabase().readPacksLocally(0);
    PackConfig config = new PackConfig(repository);
    config.setDeltaCompress(false);
    try (DfsReader reader = (DfsReader) repository.newObjectReader();
        PackWriter writer = new PackWriter(config, reader)) {
      writer.setIndexDisabled(true);
      writer.setDeltaBaseAsOffset(true);
      writer.setReuseValidatingObjects(false);
      writer.preparePack(NullProgressMonitor.INSTANCE, bundle.tips(), PackWriter.NONE);
      out.write(bundle.header());
      writer.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, out);
      PackStatistics stats = writer.getStatistics();
      return new BundleReport(bundle.withHead().size(), stats.getTotalObjects(), stats.getReusedObjects(),
          stats.getDeltaSearchNonEdgeObjects());
    }
  }

  /**
   * The bundle as its header and the one stored pack that holds it, when there is one (see {@link
   * BackupRepository#storedBundle}): the only pack with objects, marked as the bundle of a snapshot
   * still recorded whose refs are these.
   */
  Optional<StoredBundle> storedBundle(BlobRepository repository, SnapshotId id) throws IOException {
    Manifest manifest = repository.getObjectDatabase().manifest();
    BundleRefs bundle = BundleRefs.of(repository, key, id);
    List<Manifest.Pack> packs = manifest.objectPacks();
    if (packs.size() != 1 || packs.get(0).bundleOf() == null
        || manifest.snapshot(packs.get(0).bundleOf()).isEmpty()) {
      return Optional.empty();
    }
    Manifest.Pack pack = packs.get(0);
    if (!pack.bundleOf().equals(id.value())
        && !bundle.refs().equals(SnapshotRefs.refs(repository, new SnapshotId(pack.bundleOf())))) {
      return Optional.empty(); // other refs: the pack may hold objects these do not reach
    }
    String extension = PackExt.PACK.getExtension();
    return Optional.of(new StoredBundle(bundle.header(),
        repository.getObjectDatabase().blobName(pack.name(), extension), pack.files().get(extension),
        new BundleReport(bundle.withHead().size(), pack.objects(), pack.objects(), 0)));
  }

  /** A snapshot's refs as a bundle names them: under their source names, and HEAD. */
  private record BundleRefs(Map<String, ObjectId> refs, Map<String, ObjectId> withHead) {
    static BundleRefs of(BlobRepository repository, String key, SnapshotId id) throws IOException {
      Manifest.SnapshotRecord record = SnapshotRefs.require(repository, key, id);
      Map<String, ObjectId> refs = SnapshotRefs.refs(repository, id);
      Map<String, ObjectId> withHead = new TreeMap<>(refs);
      SnapshotRefs.headOf(record, refs).ifPresent(head -> withHead.put(Constants.HEAD, head));
      return new BundleRefs(refs, withHead);
    }

    Set<ObjectId> tips() {
      return new HashSet<>(refs.values());
    }

    /** The header of a v2 bundle (git's Documentation/gitformat-bundle.txt): signature, refs, blank line. */
    byte[] header() {
      StringBuilder header = new StringBuilder(TransportBundle.V2_BUNDLE_SIGNATURE).append('\n');
      withHead.forEach((name, objectId) -> header.append(objectId.name()).append(' ').append(name).append('\n'));
      return header.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * Pushes the snapshot's refs that {@code target} selects, unless the target has refs in the
   * way. The target's refs are read once, on the connection the push then goes through.
   */
  PushResult push(BlobRepository repository, SnapshotId id, GitTarget target) throws IOException {
    SnapshotRefs.require(repository, key, id);
    Map<String, ObjectId> pushed = new TreeMap<>();
    SnapshotRefs.refs(repository, id).forEach((name, objectId) -> {
      if (target.refs().test(name)) {
        pushed.put(name, objectId);
      }
    });
    try (Transport transport = Transport.open(repository, new URIish(target.url().toURL()))) {
      if (!(transport instanceof TransportHttp http)) {
        throw new TransferException("target " + target.url() + " is not a smart-HTTP URL");
      }
      http.setHttpConnectionFactory(new RemoteConnections(http.getHttpConnectionFactory(),
          target.url(), target.allowList(),
          "repository " + key + ": cannot push snapshot " + id + " to " + target.url()));
      http.setAdditionalHeaders(target.headers().get());
      http.setTimeout((int) transferTimeout.toSeconds());
      try (PushConnection connection = transport.openPush()) {
        Map<String, Ref> theirs = new TreeMap<>(connection.getRefsMap());
        List<PushResult.RefPushed> inTheWay = inTheWay(theirs, pushed);
        if (!inTheWay.isEmpty()) {
          return new PushResult(inTheWay);
        }
        // Expected old id zero: each ref is created, never moved. A ref that appears at the
        // target after the look above is refused by the server (old id no longer zero). One the
        // target has already at the same id (an interrupted earlier push) is up to date.
        Map<String, RemoteRefUpdate> updates = new LinkedHashMap<>();
        List<PushResult.RefPushed> refs = new ArrayList<>();
        for (var ref : pushed.entrySet()) {
          if (theirs.containsKey(ref.getKey())) {
            refs.add(new PushResult.RefPushed(ref.getKey(), PushResult.Outcome.UP_TO_DATE, null));
          } else {
            updates.put(ref.getKey(), new RemoteRefUpdate(repository, null, ref.getValue(),
                ref.getKey(), false, null, ObjectId.zeroId()));
          }
        }
        if (!updates.isEmpty()) {
          repository.getObjectDatabase().readPacksLocally(0);
          connection.push(NullProgressMonitor.INSTANCE, updates);
        }
        for (RemoteRefUpdate update : updates.values()) {
          refs.add(new PushResult.RefPushed(update.getRemoteName(), outcome(update), reason(update)));
        }
        refs.sort(java.util.Comparator.comparing(PushResult.RefPushed::ref));
        return new PushResult(refs);
      }
    } catch (TransportException e) {
      throw new TransferException("repository " + key + ": cannot push snapshot " + id
          + " to " + target.url() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The target's refs that a push of {@code pushed} would have to overwrite or leave beside the
   * restored ones: any ref other than one the snapshot has with the same object id. Those equal
   * are what an earlier, interrupted push of the same snapshot left.
   */
  private static List<PushResult.RefPushed> inTheWay(Map<String, Ref> theirs, Map<String, ObjectId> pushed) {
    List<PushResult.RefPushed> inTheWay = new ArrayList<>();
    for (Ref ref : theirs.values()) {
      ObjectId ours = pushed.get(ref.getName());
      if (!ref.getName().startsWith(Constants.R_REFS) || ref.getObjectId().equals(ours)) {
        continue;
      }
      inTheWay.add(new PushResult.RefPushed(ref.getName(), PushResult.Outcome.REJECTED,
          "the target already has it at " + ref.getObjectId().abbreviate(10).name()
              + (ours == null ? " and the snapshot does not" : ", the snapshot at " + ours.abbreviate(10).name())));
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

  void writeBareRepository(BlobRepository repository, SnapshotId id, Path directory)
      throws IOException {
    Manifest.SnapshotRecord record = SnapshotRefs.require(repository, key, id);
    Map<String, ObjectId> refs = SnapshotRefs.refs(repository, id);
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
        // the bare copy's pack, at most what the packs hold, may go to the same disk as the copies
        repository.getObjectDatabase().readPacksLocally(repository.getObjectDatabase().manifest().storedBytes());
        writePack(repository, bare, new HashSet<>(refs.values()));
      }
      BatchRefUpdate batch = bare.getRefDatabase().newBatchUpdate().setAtomic(true);
      refs.forEach((name, objectId) -> batch.addCommand(new ReceiveCommand(ObjectId.zeroId(), objectId, name)));
      try (RevWalk walk = new RevWalk(bare)) {
        batch.execute(walk, NullProgressMonitor.INSTANCE);
      }
      for (ReceiveCommand command : batch.getCommands()) {
        if (command.getResult() != ReceiveCommand.Result.OK) {
          throw new StoreException("cannot write ref " + command.getRefName() + " into "
              + directory + ": " + command.getResult());
        }
      }
      if (SnapshotRefs.headOf(record, refs).isPresent()) {
        RefUpdate head = bare.updateRef(Constants.HEAD);
        head.disableRefLog();
        head.link(record.headRef());
      }
    }
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
}
