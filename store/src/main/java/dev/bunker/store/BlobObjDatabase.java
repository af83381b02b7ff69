package dev.bunker.store;

import dev.bunker.store.blob.BlobNotFoundException;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.Blobs.Condition;
import dev.bunker.store.blob.ConditionFailedException;
import dev.bunker.store.blob.LeaseLostException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReaderOptions;
import org.eclipse.jgit.internal.storage.dfs.ReadableChannel;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * JGit's object database over blobs. The live pack set is {@code manifest.json}; every change to
 * it is a conditional write (If-Match on the ETag read, If-None-Match:* to create) carrying the
 * writer's lease (a backup with only refs to write has none: {@link #takeLease}), after the pack
 * files it names were written in full. A conflicting write of
 * anything but a plain pack addition fails with {@link ConcurrentWriteException}: ref updates
 * were checked against the manifest read, so they must not be replayed on another.
 */
final class BlobObjDatabase extends DfsObjDatabase {
  private static final DateTimeFormatter PACK_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CONFLICT_RETRIES = 5;

  private final StoreContext context;
  private final Blobs blobs;
  private final String key;
  private final String manifestName;
  /** The writer lease: given when opened, or taken later by {@link #takeLease} (then owned here). */
  private volatile WriterLease lease;
  private boolean ownsLease;
  private final ReadAhead readAhead;
  private final Map<String, Long> writtenSizes = new ConcurrentHashMap<>();
  private final List<String> storageFailures = new ArrayList<>();
  private final List<DfsPackDescription> committed = new ArrayList<>();
  private final ReceivingInserter.Received receivedLfsPointers = new ReceivingInserter.Received();
  /** Local copies of files this instance wrote, by blob name: read back from disk, not storage. */
  private final Map<String, FileChannel> localCopies = new ConcurrentHashMap<>();

  private Manifest manifest;
  private String etag;
  private boolean loaded;
  /** Whether JGit's next scan of packs may use the manifest just read, or just written. */
  private boolean unscanned;
  private UnaryOperator<Manifest> nextRefCommitEdit;

  BlobObjDatabase(BlobRepository repository, StoreContext context, String key, WriterLease lease) {
    super(repository, new DfsReaderOptions()
        .setStreamPackBufferSize(context.options().maxReadAhead()));
    this.context = context;
    this.blobs = context.blobs();
    this.key = key;
    this.manifestName = key + "/manifest.json";
    this.lease = lease;
    this.readAhead = new ReadAhead(blobs, context.options());
  }

  String blobName(String packName, String extension) {
    return key + "/packs/" + packName + "." + extension;
  }

  private String blobName(DfsPackDescription desc, PackExt ext) {
    return key + "/packs/" + desc.getFileName(ext);
  }

  /** The manifest as last read or written by this instance, reading it first if needed. */
  synchronized Manifest manifest() throws IOException {
    if (!loaded) {
      reload();
    }
    return manifest;
  }

  private void reload() throws IOException {
    Optional<Blobs.Blob> blob = blobs.read(manifestName);
    manifest = blob.map(b -> Manifest.parse(b.data(), where(manifestName))).orElse(Manifest.EMPTY);
    etag = blob.map(Blobs.Blob::etag).orElse(null);
    loaded = true;
    unscanned = true;
  }

  String where(String blob) {
    return "repository " + key + ": blob " + blob;
  }

  /** Whether the manifest records {@code snapshot}. */
  boolean manifestHas(SnapshotId snapshot) {
    try {
      return manifest().snapshot(snapshot.value()).isPresent();
    } catch (IOException e) {
      throw new StoreException(where(manifestName) + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * A fetch is about to ask the source for objects by git's smart protocol (the upload-pack
   * request, {@link BeforeObjectsAreAsked}): takes the lease ({@link #takeLease}), and notes that
   * the pack that comes is what the source sent for everything the live refs do not reach.
   */
  void objectsAsked() throws IOException {
    takeLease();
    receivedLfsPointers.packAsked();
  }

  /**
   * For an operation opened without the writer lease that now has more to write than refs and
   * the manifest (a backup about to fetch objects): takes the lease on the manifest as this
   * instance read it, creating it empty first when there was none (as {@link WriterLease#acquire}
   * does for a new repository), so that everything the operation decided on what it read still
   * holds. Waits while another writer holds the lease; fails with {@link ConcurrentWriteException}
   * once another writer changed the manifest since it was read (nothing of this operation was
   * written). Nothing to do while a lease is held.
   */
  synchronized void takeLease() throws IOException {
    if (lease != null) {
      return;
    }
    manifest();
    if (etag == null) {
      try {
        etag = blobs.write(manifestName, Manifest.EMPTY.toJson(), Condition.ABSENT, null);
      } catch (ConditionFailedException | LeaseLostException createdMeanwhile) {
        throw changedSinceRead(createdMeanwhile);
      } catch (IOException e) {
        // storage's failure, not the source's (the fetch would report it as the source's)
        throw new StoreException(where(manifestName) + " cannot be created: " + e.getMessage(), e);
      }
    }
    lease = WriterLease.acquireOn(context, key, manifestName, etag).orElseThrow(() -> changedSinceRead(null));
    ownsLease = true;
  }

  /** Whether this instance writes under the writer lease (given, or taken by {@link #takeLease}). */
  boolean holdsLease() {
    return lease != null;
  }

  private ConcurrentWriteException changedSinceRead(Throwable cause) {
    return new ConcurrentWriteException("repository " + key + ": manifest.json was changed by"
        + " another writer since it was read; nothing of this change became visible", cause);
  }

  /** Applies {@code edit} to the manifest written with the next reftable (the next ref update),
   * so that snapshot records change atomically with the snapshot refs. */
  synchronized void onNextRefCommit(UnaryOperator<Manifest> edit) {
    nextRefCommitEdit = edit;
  }

  /** Writes {@code edit} of the current manifest on its own (no packs change). */
  synchronized void commitManifest(UnaryOperator<Manifest> edit) throws IOException {
    manifest();
    write(edit.apply(manifest));
  }

  /** Writes the edit registered by {@link #onNextRefCommit} when there are no refs to change. */
  synchronized void commitManifestWithPendingEdit() throws IOException {
    UnaryOperator<Manifest> edit = nextRefCommitEdit;
    nextRefCommitEdit = null;
    if (edit != null) {
      commitManifest(edit);
    }
  }

  /** Packs committed through this instance, oldest first. */
  synchronized List<DfsPackDescription> committedPacks() {
    return List.copyOf(committed);
  }

  /**
   * The Git LFS pointers among the blobs of the packs this instance received (a fetch), once one was
   * received and parsed whole; empty when none was (nothing fetched, or objects came otherwise).
   */
  Optional<Set<LfsPointer>> receivedLfsPointers() {
    return receivedLfsPointers.pointers();
  }

  @Override
  public ObjectInserter newInserter() {
    return new ReceivingInserter(this, receivedLfsPointers);
  }

  /** Storage faults seen while reading (missing or short blobs), for error messages. */
  synchronized List<String> storageFailures() {
    return List.copyOf(storageFailures);
  }

  synchronized void recordFailure(String message) {
    if (!storageFailures.contains(message)) {
      storageFailures.add(message);
    }
  }

  @Override
  protected synchronized List<DfsPackDescription> listPacks() throws IOException {
    // The first scan of an operation uses the manifest it already read, so the snapshot record
    // and the refs it reads come from one version, and the scan after a commit the manifest it
    // wrote; other scans read it again.
    if (!unscanned) {
      reload();
    }
    unscanned = false;
    List<DfsPackDescription> packs = new ArrayList<>();
    for (Manifest.Pack pack : manifest.packs()) {
      packs.add(describe(pack));
    }
    return packs;
  }

  private DfsPackDescription describe(Manifest.Pack pack) {
    PackSource source;
    try {
      source = PackSource.valueOf(pack.source());
    } catch (IllegalArgumentException e) {
      throw new CorruptRepositoryException(where(manifestName) + " names pack " + pack.name()
          + " with unknown source " + pack.source());
    }
    DfsPackDescription desc = new DfsPackDescription(getRepository().getDescription(),
        pack.name(), source);
    desc.setLastModified(pack.lastModified());
    desc.setObjectCount(pack.objects());
    desc.setDeltaCount(pack.deltas());
    desc.setIndexVersion(pack.indexVersion());
    desc.setMinUpdateIndex(pack.minUpdateIndex());
    desc.setMaxUpdateIndex(pack.maxUpdateIndex());
    for (var file : pack.files().entrySet()) {
      PackExt ext = extension(file.getKey(), pack.name());
      desc.addFileExt(ext);
      desc.setFileSize(ext, file.getValue());
    }
    for (var block : pack.blockSizes().entrySet()) {
      desc.setBlockSize(extension(block.getKey(), pack.name()), block.getValue());
    }
    return desc;
  }

  private PackExt extension(String extension, String pack) {
    for (PackExt ext : PackExt.values()) {
      if (ext.getExtension().equals(extension)) {
        return ext;
      }
    }
    throw new CorruptRepositoryException(where(manifestName) + " names file ." + extension
        + " of pack " + pack + ", which this Bunker does not know");
  }

  static String packName(DfsPackDescription desc) {
    String file = desc.getFileName(PackExt.PACK);
    return file.substring(0, file.length() - PackExt.PACK.getExtension().length() - 1);
  }

  private Manifest.Pack record(DfsPackDescription desc) {
    Map<String, Long> files = new TreeMap<>();
    Map<String, Integer> blockSizes = new TreeMap<>();
    for (PackExt ext : PackExt.values()) {
      if (!desc.hasFileExt(ext)) {
        continue;
      }
      Long written = writtenSizes.get(blobName(desc, ext));
      long size = written != null ? written : desc.getFileSize(ext);
      desc.setFileSize(ext, size);
      files.put(ext.getExtension(), size);
      if (desc.getBlockSize(ext) > 0) {
        blockSizes.put(ext.getExtension(), desc.getBlockSize(ext));
      }
    }
    return new Manifest.Pack(packName(desc), desc.getPackSource().name(),
        desc.getLastModified(), desc.getObjectCount(), desc.getDeltaCount(),
        desc.getIndexVersion(), desc.getMinUpdateIndex(), desc.getMaxUpdateIndex(), files,
        blockSizes, null);
  }

  /** A new pack for objects a fetch received ({@link ReceivedPackParser}). */
  DfsPackDescription newReceivedPack() {
    return newPack(PackSource.RECEIVE);
  }

  /** A file of a received pack: its writer keeps its own copy, so nothing is spooled to read back. */
  DfsOutputStream writeReceivedFile(DfsPackDescription desc, PackExt ext) {
    return newOutputStream(desc, ext, false);
  }

  void commitReceivedPack(DfsPackDescription desc) throws IOException {
    commitPack(List.of(desc), null);
  }

  void rollbackReceivedPack(DfsPackDescription desc) {
    rollbackPack(List.of(desc));
  }

  /**
   * Reads of {@code desc}'s {@code ext} file are served from {@code copy}, a local copy of what
   * was written to storage, until this database is closed; the copy is closed then.
   */
  void keepLocalCopy(DfsPackDescription desc, PackExt ext, FileChannel copy) {
    FileChannel earlier = localCopies.put(blobName(desc, ext), copy);
    closeQuietly(earlier);
  }

  /**
   * Copies the packs this database reads objects from (all but unreachable garbage) to local disk,
   * in ranged reads of the read-ahead limit, the upload parallelism at a time, and serves later
   * reads of them from there until this database is closed. For operations that read most of a
   * snapshot's objects out of pack order (a push, a bundle, a bare copy, a full verification): one
   * pass over each pack instead of a ranged read for each block the DFS block cache misses, which
   * against Blob storage is a round trip each. A speed-up only: when the temporary directory lacks
   * the room, or a copy fails (storage, local disk), the packs are read from storage as before,
   * where a damaged or missing one is met, and reported, only if the operation needs it.
   *
   * @param writtenAlongside bytes the operation itself writes to the same temporary directory
   *     meanwhile (a GC's new pack, spooled as it is uploaded): the copies are made only when both fit
   */
  synchronized void readPacksLocally(long writtenAlongside) throws IOException {
    Map<String, Long> sizes = new LinkedHashMap<>();
    Map<String, DfsPackDescription> packs = new HashMap<>();
    long total = 0;
    for (DfsPackFile pack : getPacks()) {
      DfsPackDescription desc = pack.getPackDescription();
      String name = blobName(desc, PackExt.PACK);
      long size = desc.getFileSize(PackExt.PACK);
      FileChannel held = localCopies.get(name);
      if (desc.getPackSource() != PackSource.UNREACHABLE_GARBAGE && size > 0 && (held == null || !held.isOpen())) {
        sizes.put(name, size);
        packs.put(name, desc);
        total += size;
      }
    }
    if (sizes.isEmpty() || !roomForLocalCopies(total + writtenAlongside)) {
      return;
    }
    Map<String, FileChannel> copies;
    try {
      copies = PackDownload.copy(blobs, sizes, context.options().maxReadAhead(), context.options().uploadsInFlight(),
          context.uploads());
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return; // read from storage instead, which says what is wrong if the operation meets it
    }
    copies.forEach((name, copy) -> keepLocalCopy(packs.get(name), PackExt.PACK, copy));
  }

  /** Whether the temporary directory has {@code bytes} to spare, with a quarter more for others. */
  private static boolean roomForLocalCopies(long bytes) {
    try {
      Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
      return Files.getFileStore(temporary).getUsableSpace() > bytes + bytes / 4;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Closes a local copy (a temporary file, unlinked when opened), ignoring a failure to. */
  static void closeQuietly(FileChannel copy) {
    if (copy != null) {
      try {
        copy.close();
      } catch (IOException e) {
        // a temporary file: the operating system reclaims it with the process at the latest
      }
    }
  }

  @Override
  public void close() {
    super.close();
    if (ownsLease) {
      lease.close();
    }
    localCopies.values().forEach(BlobObjDatabase::closeQuietly);
    localCopies.clear();
  }

  @Override
  protected DfsPackDescription newPack(PackSource source) {
    // Time first so names sort by age in listings; 64 random bits so a name is never reused,
    // not even by two writers racing on the same repository.
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Instant now = context.clock().instant();
    String name = "pack-" + PACK_TIME.format(now) + "-" + HexFormat.of().formatHex(random);
    DfsPackDescription desc =
        new DfsPackDescription(getRepository().getDescription(), name, source);
    desc.setLastModified(now.toEpochMilli());
    return desc;
  }

  @Override
  protected synchronized void commitPackImpl(Collection<DfsPackDescription> added,
      Collection<DfsPackDescription> replaced) throws IOException {
    long now = context.clock().millis();
    List<Manifest.Pack> records = new ArrayList<>();
    for (DfsPackDescription desc : added) {
      desc.setLastModified(now);
      records.add(record(desc));
    }
    Set<String> removed = replaced == null ? Set.of()
        : replaced.stream().map(BlobObjDatabase::packName).collect(Collectors.toSet());
    boolean refsChange = added.stream().anyMatch(d -> d.hasFileExt(PackExt.REFTABLE));
    if (!(added.stream().allMatch(BlobObjDatabase::refsOnly)
        && (replaced == null || replaced.stream().allMatch(BlobObjDatabase::refsOnly)))) {
      takeLease(); // only refs are written without it (a no-op under the lease)
    }
    UnaryOperator<Manifest> edit = refsChange && nextRefCommitEdit != null
        ? nextRefCommitEdit : UnaryOperator.identity();
    // Only a plain addition of packs may be replayed on a manifest changed by someone else.
    boolean replayable = !refsChange && removed.isEmpty();
    manifest();
    for (int attempt = 1;; attempt++) {
      Manifest next = edit.apply(manifest.withPacks(records, removed,
          context.clock().instant()));
      try {
        write(next);
        break;
      } catch (ConcurrentWriteException e) {
        if (!replayable || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        reload();
      }
    }
    if (refsChange) {
      nextRefCommitEdit = null;
    }
    committed.addAll(added);
    clearCache();
  }

  /** A reftable: refs (pruned along with the one that replaces them), no objects. */
  private static boolean refsOnly(DfsPackDescription desc) {
    return desc.hasFileExt(PackExt.REFTABLE) && !desc.hasFileExt(PackExt.PACK);
  }

  private void write(Manifest next) throws IOException {
    Condition condition = etag == null ? Condition.ABSENT : Condition.matching(etag);
    if (lease != null) {
      lease.ensureHeld();
    }
    try {
      etag = blobs.write(manifestName, next.toJson(), condition, lease == null ? null : lease.id());
      manifest = next;
      // the next scan takes what was just written, unread: the repository as of this write, on
      // which a later write of this instance is conditional (and under the lease, no one else's)
      unscanned = true;
    } catch (ConditionFailedException e) {
      throw changedSinceRead(e);
    } catch (LeaseLostException e) {
      throw WriterLease.lostError(key, e);
    }
  }

  @Override
  protected void rollbackPack(Collection<DfsPackDescription> packs) {
    for (DfsPackDescription desc : packs) {
      for (PackExt ext : PackExt.values()) {
        String name = blobName(desc, ext);
        closeQuietly(localCopies.remove(name));
        if (writtenSizes.remove(name) != null) {
          try {
            blobs.delete(name);
          } catch (IOException e) {
            // Left for the orphan sweeper: a rollback already follows another failure.
          }
        }
      }
    }
  }

  @Override
  protected ReadableChannel openFile(DfsPackDescription desc, PackExt ext)
      throws IOException {
    String name = blobName(desc, ext);
    FileChannel copy = localCopies.get(name);
    if (copy != null && copy.isOpen()) {
      // a copy closed by an interrupted read is gone (unlinked): storage has the file
      return new LocalChannel(copy, context.options().readBlockSize());
    }
    long size = desc.getFileSize(ext);
    if (size <= 0) {
      Long written = writtenSizes.get(name);
      if (written == null) {
        String message = where(manifestName) + " gives no size for " + name;
        recordFailure(message);
        throw new FileNotFoundException(message);
      }
      size = written;
    }
    if (ext != PackExt.PACK) {
      // Indexes, bitmaps and reftables are read whole: one GET (up to the read-ahead limit).
      readAhead.expect(name, 0, (int) Math.min(size, context.options().maxReadAhead()));
    }
    return new BlobChannel(this, readAhead, name, size, context.options().readBlockSize());
  }

  @Override
  protected DfsOutputStream writeFile(DfsPackDescription desc, PackExt ext) {
    return newOutputStream(desc, ext, true);
  }

  private DfsOutputStream newOutputStream(DfsPackDescription desc, PackExt ext, boolean readBack) {
    if (ext != PackExt.REFTABLE) {
      // objects are only ever written under the lease, however they come (a dumb-HTTP source sends
      // no POST for BeforeObjectsAreAsked to see); only refs are written without it
      try {
        takeLease();
      } catch (IOException e) {
        throw new StoreException(where(manifestName) + ": cannot take the writer lease: " + e.getMessage(), e);
      }
    }
    String name = blobName(desc, ext);
    return new BlobOutputStream(blobs, context.uploads(), name,
        context.options().writeBlockSize(), context.options().uploadsInFlight(), readBack,
        lease == null ? () -> {} : lease::ensureHeld, size -> writtenSizes.put(name, size));
  }

  @Override
  public long getApproximateObjectCount() {
    try {
      return manifest().packs().stream().mapToLong(Manifest.Pack::objects).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Turns a missing blob into an error naming repository and blob. */
  IOException missing(String name, BlobNotFoundException cause) {
    String message = where(name) + " is named in manifest.json but missing from storage";
    recordFailure(message);
    return new FileNotFoundException(message) {
      {
        initCause(cause);
      }
    };
  }

}
