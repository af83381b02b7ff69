package dev.bunker.store;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
import org.eclipse.jgit.internal.storage.file.BasePackIndexWriter;
import org.eclipse.jgit.internal.storage.pack.BinaryDelta;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ObjectStream;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.transport.PackedObjectInfo;
import org.eclipse.jgit.util.sha1.SHA1;

/**
 * Stores the pack a fetch receives as a new pack of the object database, as JGit's {@code
 * DfsPackParser} does, but resolves its deltas on several threads: JGit's parser resolves them on
 * one, which made it the longest part of a large backup where CGit's {@code index-pack} uses every
 * core. Two passes, as {@code index-pack}'s: the stream is read once (each object's bytes written
 * to the pack and to a local copy, whole objects named as they are inflated), then every delta is
 * resolved from the local copy, the subtrees of different bases on different threads. The local
 * copies of the pack and its index then serve this operation's reads of them ({@link
 * BlobObjDatabase#keepLocalCopy}), as JGit's block cache did for the blocks its parser wrote.
 *
 * <p>What it keeps from JGit's parser: the pack's trailing checksum is verified; an object the
 * database already holds must have the same content (no SHA-1 collision slips in); a thin pack's
 * missing bases are read from the database and appended, the pack's header keeping its count and
 * its trailer the digest of everything before it, as JGit's DFS parser leaves it; an empty pack
 * writes nothing. The blobs small enough to be Git LFS pointers are handed to {@code smallBlobs}, from
 * whichever thread made them. Object checking ({@link #setObjectChecker}) is not offered: the
 * fetches that use this parser never ask for it.
 */
final class ReceivedPackParser extends PackParser {
  /** Below this many deltas the threads cost more than they save: resolved on the caller's. */
  static final int DELTAS_FOR_THREADS = 1_000;
  private static final int INDEX_VERSION = 2;
  private static final int OBJ_OFS_DELTA = 6;
  private static final int OBJ_REF_DELTA = 7;

  private final BlobObjDatabase db;
  private final InputStream in;
  private final int threads;
  private final int deltasForThreads;
  private final long smallBlobSize;
  private final SmallBlobs smallBlobs;

  private final byte[] buf = new byte[64 * 1024];
  private int bufPos;
  private int bufLen;
  /** Where in {@link #buf} the bytes not yet stored, checksummed and written start. */
  private int unstored;
  private long position;
  private final MessageDigest packDigest = Constants.newMessageDigest();
  private final CRC32 crc = new CRC32();
  private final Inflater inflater = new Inflater();
  /** Names objects as JGit's parser does: by the SHA-1 the process chose ({@code Sha1Choice}). */
  private final SHA1 objectDigest = SHA1.newInstance();

  private DfsPackDescription pack;
  private DfsOutputStream out;
  private FileChannel local;
  private final byte[] localBuffer = new byte[256 * 1024];
  private int localBuffered;
  private long localWritten;
  private MappedByteBuffer mapped;
  private final List<Entry> entries = new ArrayList<>();
  private final Map<ObjectId, List<Entry>> byBaseId = new ConcurrentHashMap<>();
  private DfsPackFile[] stored;
  /** Objects at least this large have their deltas resolved one base at a time (heap). */
  private final long largeObject = Runtime.getRuntime().maxMemory() / 16;
  private final Object largeBases = new Object();
  private final AtomicInteger resolved = new AtomicInteger();
  /** Set by the first resolver that fails, so the others stop instead of finishing their trees. */
  private volatile boolean failed;
  /** Subtrees are handed to other threads only this many hand-overs deep: a joining thread may run them on its stack. */
  private static final int FORK_DEPTH = 32;
  private int deltas;

  /** One object of the pack, in pack order; {@code id} and {@code type} known once it is resolved. */
  private static final class Entry {
    final long offset;
    final int headerLength;
    final long size;
    final int packedType;
    int crc;
    /** Where its compressed bytes end in the pack (where the next object starts). */
    long dataEnd;
    int baseIndex = -1;
    ObjectId baseId;
    volatile ObjectId id;
    volatile int type;
    int[] children;

    Entry(long offset, int headerLength, long size, int packedType) {
      this.offset = offset;
      this.headerLength = headerLength;
      this.size = size;
      this.packedType = packedType;
    }

    boolean delta() {
      return packedType == OBJ_OFS_DELTA || packedType == OBJ_REF_DELTA;
    }
  }

  /** Whom the blobs under a size are handed to, and told when the pack was stored whole. */
  interface SmallBlobs {
    void blob(byte[] content);

    void packParsed();
  }

  /**
   * @param threads how many threads may resolve deltas
   * @param deltasForThreads below this many deltas they are resolved on the caller's thread only
   */
  ReceivedPackParser(BlobObjDatabase db, InputStream in, int threads, int deltasForThreads,
      long smallBlobSize, SmallBlobs smallBlobs) {
    // JGit's constructor takes an inflater and a reader that only its own parse() gives back;
    // unused here, they are reclaimed with the parser (the inflater by its cleaner)
    super(db, in);
    this.db = db;
    this.in = in;
    this.threads = threads;
    this.deltasForThreads = deltasForThreads;
    this.smallBlobSize = smallBlobSize;
    this.smallBlobs = smallBlobs;
  }

  @Override
  public void setObjectChecker(ObjectChecker checker) {
    if (checker != null) {
      throw new UnsupportedOperationException("this pack parser does not check objects");
    }
  }

  @Override
  public PackLock parse(ProgressMonitor receiving, ProgressMonitor resolving) throws IOException {
    boolean committed = false;
    try {
      long count = readHeader();
      if (count > 0) {
        pack = db.newReceivedPack();
        out = db.writeReceivedFile(pack, PackExt.PACK);
        local = FileChannel.open(Files.createTempFile("bunker-received-", ".pack"), StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        storeConsumed();
      }
      for (long i = 0; i < count; i++) {
        receiveObject();
      }
      byte[] trailer = readTrailer();
      if (count == 0) {
        smallBlobs.packParsed();
        return null;
      }
      mapLocal();
      linkDeltas();
      // the packs stored before this one, read once: asking the database each time takes its lock
      stored = db.getPacks();
      checkCollisionsOfWholeObjects();
      resolveDeltas();
      byte[] packHash = entries.size() > count ? packDigest.digest() : trailer;
      write(packHash, 0, packHash.length, false);
      flushLocal();
      mapped = null;
      out.close();
      pack.addFileExt(PackExt.PACK);
      pack.setFileSize(PackExt.PACK, position);
      pack.setBlockSize(PackExt.PACK, out.blockSize());
      out = null;
      List<PackedObjectInfo> objects = new ArrayList<>(entries.size());
      for (Entry e : entries) {
        PackedObjectInfo info = new PackedObjectInfo(e.id);
        info.setOffset(e.offset);
        info.setCRC(e.crc);
        info.setType(e.type);
        objects.add(info);
      }
      entries.clear(); // not both lists at once: they are most of the parser's heap
      objects.sort(null);
      pack.setObjectCount(objects.size());
      FileChannel index = writeIndex(objects, packHash);
      // read back from disk while this operation goes on (the refs' objects, the LFS step); a
      // rollback closes the copies
      db.keepLocalCopy(pack, PackExt.INDEX, index);
      db.keepLocalCopy(pack, PackExt.PACK, local);
      local = null;
      db.commitReceivedPack(pack);
      committed = true;
      smallBlobs.packParsed();
      return null;
    } finally {
      inflater.end();
      mapped = null;
      try {
        if (local != null) {
          local.close();
        }
      } catch (IOException e) {
        // an unlinked temporary file: nothing is left behind
      }
      try {
        if (out != null) {
          out.close();
        }
      } catch (IOException e) {
        // the rollback below matters more
      }
      if (!committed && pack != null) {
        db.rollbackReceivedPack(pack);
      }
    }
  }

  /** Writes the pack's index to storage and to a local copy, which it returns. */
  private FileChannel writeIndex(List<PackedObjectInfo> objects, byte[] packHash) throws IOException {
    FileChannel copy = FileChannel.open(Files.createTempFile("bunker-received-", ".idx"), StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    boolean kept = false;
    try (DfsOutputStream stored = db.writeReceivedFile(pack, PackExt.INDEX)) {
      OutputStream both = new BufferedOutputStream(new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int at, int length) throws IOException {
          stored.write(data, at, length);
          ByteBuffer bytes = ByteBuffer.wrap(data, at, length);
          while (bytes.hasRemaining()) {
            copy.write(bytes);
          }
        }
      }, 64 * 1024);
      BasePackIndexWriter.createVersion(both, INDEX_VERSION).write(objects, packHash);
      both.flush();
      pack.addFileExt(PackExt.INDEX);
      pack.setFileSize(PackExt.INDEX, copy.size());
      pack.setBlockSize(PackExt.INDEX, stored.blockSize());
      pack.setIndexVersion(INDEX_VERSION);
      kept = true;
      return copy;
    } finally {
      if (!kept) {
        copy.close();
      }
    }
  }

  // ---- the stream

  private long readHeader() throws IOException {
    fill(12);
    if (buf[0] != 'P' || buf[1] != 'A' || buf[2] != 'C' || buf[3] != 'K') {
      throw new CorruptObjectException("the received data is not a pack (no PACK signature)");
    }
    int version = readInt(4);
    if (version != 2 && version != 3) {
      throw new CorruptObjectException("the received pack has version " + version + ", not 2 or 3");
    }
    long count = readInt(8) & 0xffffffffL;
    bufPos = 12;
    return count;
  }

  private int readInt(int at) {
    return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
  }

  private void receiveObject() throws IOException {
    long offset = position + (bufPos - unstored);
    storeConsumed();
    crc.reset();
    int c = readByte();
    int type = (c >> 4) & 7;
    long size = c & 15;
    int shift = 4;
    while ((c & 0x80) != 0) {
      if (shift > 56) {
        throw new CorruptObjectException("the received pack's object at " + offset + " has a size"
            + " beyond 2^63 bytes in its header");
      }
      c = readByte();
      size += (long) (c & 0x7f) << shift;
      shift += 7;
    }
    Entry entry;
    switch (type) {
      case Constants.OBJ_COMMIT, Constants.OBJ_TREE, Constants.OBJ_BLOB, Constants.OBJ_TAG -> {
        entry = new Entry(offset, headerLength(offset), size, type);
        receiveWhole(entry);
      }
      case OBJ_OFS_DELTA -> {
        c = readByte();
        long distance = c & 127;
        while ((c & 128) != 0) {
          distance += 1;
          c = readByte();
          distance <<= 7;
          distance += c & 127;
        }
        entry = new Entry(offset, headerLength(offset), size, type);
        entry.baseIndex = indexOf(offset - distance, offset);
        inflateFromStream(size, null);
        deltas++;
      }
      case OBJ_REF_DELTA -> {
        byte[] id = new byte[Constants.OBJECT_ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
          id[i] = (byte) readByte();
        }
        entry = new Entry(offset, headerLength(offset), size, type);
        entry.baseId = ObjectId.fromRaw(id);
        inflateFromStream(size, null);
        deltas++;
      }
      default -> throw new CorruptObjectException("the received pack has an object of unknown type "
          + type + " at " + offset);
    }
    storeConsumed();
    entry.crc = (int) crc.getValue();
    entry.dataEnd = position;
    entries.add(entry);
  }

  private int headerLength(long offset) {
    return (int) (position + (bufPos - unstored) - offset);
  }

  private int indexOf(long baseOffset, long offset) throws CorruptObjectException {
    int low = 0;
    int high = entries.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long at = entries.get(mid).offset;
      if (at < baseOffset) {
        low = mid + 1;
      } else if (at > baseOffset) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    throw new CorruptObjectException("the delta at " + offset + " names a base at " + baseOffset
        + ", where no object of the pack starts");
  }

  private void receiveWhole(Entry entry) throws IOException {
    SHA1 digest = objectDigest.reset();
    digest.update(objectHeader(entry.packedType, entry.size));
    boolean small = entry.packedType == Constants.OBJ_BLOB && entry.size < smallBlobSize;
    byte[] content = small ? new byte[(int) entry.size] : null;
    inflateFromStream(entry.size, (data, at, length, done) -> {
      digest.update(data, 0, length);
      if (content != null) {
        System.arraycopy(data, 0, content, (int) done, length);
      }
    });
    entry.id = digest.toObjectId();
    entry.type = entry.packedType;
    if (content != null) {
      smallBlobs.blob(content);
    }
  }

  private interface Inflated {
    void accept(byte[] data, int at, int length, long done) throws IOException;
  }

  private final byte[] scratch = new byte[64 * 1024];

  /** Inflates the next {@code size} bytes of the stream, handing them to {@code sink} if any. */
  private void inflateFromStream(long size, Inflated sink) throws IOException {
    inflater.reset();
    long done = 0;
    while (!inflater.finished()) {
      if (inflater.needsInput()) {
        if (bufPos == bufLen) {
          fill(1);
        }
        inflater.setInput(buf, bufPos, bufLen - bufPos);
        bufPos = bufLen;
      }
      int n;
      try {
        n = inflater.inflate(scratch);
      } catch (DataFormatException e) {
        throw new CorruptObjectException("the received pack's object ending at " + position
            + " does not inflate: " + e.getMessage());
      }
      if (n == 0 && !inflater.finished() && !inflater.needsInput()) {
        throw new CorruptObjectException("the received pack's object ending at " + position
            + " does not inflate (a dictionary is asked for)");
      }
      if (done + n > size) {
        throw new CorruptObjectException("the received pack's object ending at " + position
            + " inflates to more than the " + size + " bytes its header gives");
      }
      if (sink != null && n > 0) {
        sink.accept(scratch, 0, n, done);
      }
      done += n;
    }
    bufPos = bufLen - inflater.getRemaining();
    if (done != size) {
      throw new CorruptObjectException("the received pack's object ending at " + position
          + " inflates to " + done + " bytes, not the " + size + " its header gives");
    }
  }

  private int readByte() throws IOException {
    if (bufPos == bufLen) {
      fill(1);
    }
    return buf[bufPos++] & 0xff;
  }

  /** Reads until at least {@code wanted} bytes are unread in the buffer. */
  private void fill(int wanted) throws IOException {
    storeConsumed();
    if (bufPos > 0) {
      System.arraycopy(buf, bufPos, buf, 0, bufLen - bufPos);
      bufLen -= bufPos;
      bufPos = 0;
      unstored = 0;
    }
    while (bufLen - bufPos < wanted) {
      int n = in.read(buf, bufLen, buf.length - bufLen);
      if (n < 0) {
        throw new EOFException("the received pack ends early, after " + (position + bufLen) + " bytes");
      }
      bufLen += n;
    }
  }

  /** Checksums and writes the bytes read since the last call; they belong to the current object. */
  private void storeConsumed() throws IOException {
    int n = bufPos - unstored;
    if (n > 0) {
      crc.update(buf, unstored, n);
      write(buf, unstored, n, true);
      unstored = bufPos;
    }
  }

  private void write(byte[] data, int at, int length, boolean digest) throws IOException {
    if (digest) {
      packDigest.update(data, at, length);
    }
    if (out != null) {
      out.write(data, at, length);
      if (length > localBuffer.length - localBuffered) {
        flushLocal();
      }
      if (length >= localBuffer.length) {
        writeLocal(ByteBuffer.wrap(data, at, length));
      } else {
        System.arraycopy(data, at, localBuffer, localBuffered, length);
        localBuffered += length;
      }
    }
    position += length;
  }

  /** Writes what the local copy's buffer holds (before the copy is read, and at the end). */
  private void flushLocal() throws IOException {
    writeLocal(ByteBuffer.wrap(localBuffer, 0, localBuffered));
    localBuffered = 0;
  }

  private void writeLocal(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      localWritten += local.write(bytes, localWritten);
    }
  }

  /** Maps the local copy for the resolvers' reads, where it fits one mapping; else they read it. */
  private void mapLocal() throws IOException {
    flushLocal();
    mapped = localWritten <= Integer.MAX_VALUE ? local.map(FileChannel.MapMode.READ_ONLY, 0, localWritten) : null;
  }

  private byte[] readTrailer() throws IOException {
    storeConsumed();
    if (bufLen - bufPos < 20) {
      fill(20);
    }
    byte[] trailer = Arrays.copyOfRange(buf, bufPos, bufPos + 20);
    bufPos += 20;
    unstored = bufPos;
    byte[] digest;
    try {
      // a copy: a thin pack's appended bases go on into the digest (the trailer JGit's DFS parser writes)
      digest = ((MessageDigest) packDigest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-1 can be copied", e);
    }
    if (!Arrays.equals(trailer, digest)) {
      throw new CorruptObjectException("the received pack's checksum does not match its content");
    }
    return trailer;
  }

  // ---- deltas

  /** Links each delta to its base: by position, or by name for the ones a base in the pack or the database names. */
  private void linkDeltas() {
    int[] counts = new int[entries.size()];
    for (Entry e : entries) {
      if (e.baseIndex >= 0) {
        counts[e.baseIndex]++;
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      if (counts[i] > 0) {
        entries.get(i).children = new int[counts[i]];
      }
    }
    Arrays.fill(counts, 0);
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.baseIndex >= 0) {
        entries.get(e.baseIndex).children[counts[e.baseIndex]++] = i;
      } else if (e.baseId != null) {
        byBaseId.computeIfAbsent(e.baseId, id -> new ArrayList<>()).add(e);
      }
    }
  }

  private void checkCollisionsOfWholeObjects() throws IOException {
    try (DfsReader reader = db.newReader()) {
      for (Entry e : entries) {
        if (e.delta() || !isStored(reader, e.id)) {
          continue;
        }
        try (ObjectStream theirs = reader.open(e.id, e.type).openStream();
            InputStream ours = new InflaterInputStream(new LocalStream(e.offset + e.headerLength, e.dataEnd))) {
          if (theirs.getSize() != e.size || !sameBytes(theirs, ours)) {
            throw collision(e.id);
          }
        } catch (MissingObjectException notHere) {
          // gone meanwhile: nothing to compare with
        }
      }
    }
  }

  /** Whether both streams hold the same bytes, compared a block at a time (objects may be large). */
  private static boolean sameBytes(InputStream a, InputStream b) throws IOException {
    byte[] x = new byte[64 * 1024];
    byte[] y = new byte[x.length];
    while (true) {
      int n = a.readNBytes(x, 0, x.length);
      if (b.readNBytes(y, 0, n) != n || !Arrays.equals(x, 0, n, y, 0, n)) {
        return false;
      }
      if (n < x.length) {
        return b.read() < 0;
      }
    }
  }

  /** The local copy's bytes {@code [from, to)}, as a stream. */
  private final class LocalStream extends InputStream {
    private long at;
    private final long to;

    LocalStream(long from, long to) {
      this.at = from;
      this.to = to;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int from, int length) throws IOException {
      if (at >= to) {
        return -1;
      }
      int n = (int) Math.min(length, to - at);
      readLocal(at, into, from, n);
      at += n;
      return n;
    }
  }

  /** Whether a pack stored before this one holds {@code id}. */
  private boolean isStored(DfsReader reader, AnyObjectId id) throws IOException {
    for (DfsPackFile pack : stored) {
      if (pack.hasObject(reader, id)) {
        return true;
      }
    }
    return false;
  }

  private static IOException collision(AnyObjectId id) {
    return new IOException("the received pack's object " + id.name() + " differs from the object of"
        + " that name already stored: a SHA-1 collision");
  }

  private void resolveDeltas() throws IOException {
    if (deltas == 0) {
      return;
    }
    int[] roots = IntStream.range(0, entries.size()).filter(i -> {
      Entry e = entries.get(i);
      return !e.delta() && (e.children != null || byBaseId.containsKey(e.id));
    }).toArray();
    ConcurrentLinkedQueue<Resolver> resolvers = new ConcurrentLinkedQueue<>();
    ThreadLocal<Resolver> perThread = ThreadLocal.withInitial(() -> {
      Resolver r = new Resolver();
      resolvers.add(r);
      return r;
    });
    boolean parallel = threads > 1 && deltas >= deltasForThreads;
    ForkJoinPool pool = parallel ? new ForkJoinPool(threads, ReceivedPackParser::resolverThread, null, false) : null;
    try {
      run(pool, new Bases(roots, 0, roots.length, perThread, pool != null));
      // a thin pack: the deltas left name bases the database holds; they are appended, then
      // resolved on every thread. A base that one of their deltas also makes is then stored
      // twice, as JGit's parser may store it (readers take either copy).
      if (!byBaseId.isEmpty()) {
        if (!isAllowThin()) {
          throw new CorruptObjectException("the received pack is thin (" + byBaseId.size()
              + " delta bases missing) where a complete pack was asked for");
        }
        int first = entries.size();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try (ObjectReader reader = db.newReader()) {
          for (ObjectId id : List.copyOf(byBaseId.keySet())) {
            appendBase(reader, deflater, id);
          }
        } finally {
          deflater.end();
        }
        mapLocal();
        run(pool, new Bases(IntStream.range(first, entries.size()).toArray(), 0, entries.size() - first,
            perThread, pool != null));
      }
    } finally {
      try {
        if (pool != null) {
          // no resolver may still be inflating when their readers go back to JGit's caches
          pool.shutdownNow();
          awaitTermination(pool);
        }
      } finally {
        perThread.remove();
        for (Resolver r : resolvers) {
          r.close();
        }
      }
    }
    if (resolved.get() != deltas) {
      throw new CorruptObjectException("the received pack has " + (deltas - resolved.get())
          + " deltas whose base is neither in the pack nor in the repository");
    }
  }

  /** Waits for the stopped pool's threads (they hold nothing by then); an interrupt is kept, not thrown. */
  private static void awaitTermination(ForkJoinPool pool) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    try {
      while (!pool.isTerminated()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("delta resolvers still running a minute after they were stopped");
        }
        try {
          pool.awaitTermination(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ResolverThread resolverThread(ForkJoinPool pool) {
    ResolverThread t = new ResolverThread(pool);
    t.setDaemon(true);
    return t;
  }

  /** A worker thread of the resolvers' pool (named, a daemon). */
  private static final class ResolverThread extends ForkJoinWorkerThread {
    ResolverThread(ForkJoinPool pool) {
      super(pool);
    }

    @Override
    protected void onStart() {
      super.onStart();
      // the pool gives the index once the thread is registered, not when the factory makes it
      setName("bunker-delta-resolver-" + getPoolIndex());
    }
  }

  private static void run(ForkJoinPool pool, Bases task) throws IOException {
    try {
      if (pool == null) {
        task.compute();
      } else {
        pool.invoke(task);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Appends the stored object {@code id} to the pack as a whole object, the base of a thin pack's
   * deltas; nothing when no stored pack holds it (its deltas stay unresolved, and fail the parse).
   */
  private void appendBase(ObjectReader reader, Deflater deflater, ObjectId id) throws IOException {
    ObjectLoader base;
    try {
      base = reader.open(id);
    } catch (MissingObjectException e) {
      return;
    }
    byte[] data = base.getCachedBytes(Integer.MAX_VALUE);
    long offset = position;
    crc.reset();
    byte[] header = packedHeader(base.getType(), data.length);
    crc.update(header);
    write(header, 0, header.length, true);
    deflater.reset();
    deflater.setInput(data);
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(scratch);
      crc.update(scratch, 0, n);
      write(scratch, 0, n, true);
    }
    Entry entry = new Entry(offset, header.length, data.length, base.getType());
    entry.crc = (int) crc.getValue();
    entry.dataEnd = position;
    entry.id = id.copy();
    entry.type = base.getType();
    entries.add(entry);
  }

  private static byte[] packedHeader(int type, long size) {
    byte[] header = new byte[16];
    int n = 0;
    header[n++] = (byte) ((type << 4) | (size & 15));
    size >>>= 4;
    while (size > 0) {
      header[n - 1] |= (byte) 0x80;
      header[n++] = (byte) (size & 0x7f);
      size >>>= 7;
    }
    return Arrays.copyOf(header, n);
  }

  private static byte[] objectHeader(int type, long size) {
    return (Constants.typeString(type) + " " + size + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  /** The bases {@code roots[from, to)}: halves handed to other threads, then each base's deltas. */
  private final class Bases extends RecursiveAction {
    private final int[] roots;
    private final int from;
    private final int to;
    private final ThreadLocal<Resolver> perThread;
    private final boolean fork;

    Bases(int[] roots, int from, int to, ThreadLocal<Resolver> perThread, boolean fork) {
      this.roots = roots;
      this.from = from;
      this.to = to;
      this.perThread = perThread;
      this.fork = fork;
    }

    @Override
    protected void compute() {
      if (fork && to - from > 1) {
        int middle = (from + to) >>> 1;
        Bases second = new Bases(roots, middle, to, perThread, true);
        second.fork();
        RuntimeException failure = null;
        try {
          new Bases(roots, from, middle, perThread, true).compute();
        } catch (RuntimeException e) {
          failure = e;
        }
        joinAll(List.of(second), failure);
        return;
      }
      try {
        for (int i = from; i < to && !failed; i++) {
          Entry base = entries.get(roots[i]);
          if (base.size >= largeObject) {
            // one large object's deltas at a time, on one thread: two threads must not hold two
            synchronized (largeBases) {
              new Deltas(base, perThread.get().inflate(base), perThread, false, 0).compute();
            }
          } else {
            new Deltas(base, perThread.get().inflate(base), perThread, fork, 0).compute();
          }
        }
      } catch (IOException e) {
        failed = true;
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }
  }

  /**
   * Joins every task, even after one failed; the first failure ({@code earlier}, the caller's own,
   * if any) is thrown, later ones suppressed in it, so no task is still running when the caller
   * goes on (or cleans up).
   */
  private static void joinAll(List<? extends ForkJoinTask<?>> tasks, RuntimeException earlier) {
    RuntimeException failure = earlier;
    for (ForkJoinTask<?> task : tasks) {
      try {
        task.join();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The deltas on {@code base}, whose content is {@code data}, and theirs in turn, depth first as
   * JGit's parser goes: a stack of bases with deltas left, each holding its content only until its
   * last delta is resolved, so a chain holds one object's content at a time and a deep chain needs
   * no deep recursion. Some subtrees are handed to other threads.
   */
  private final class Deltas extends RecursiveAction {
    private final Entry base;
    private byte[] data;
    private final ThreadLocal<Resolver> perThread;
    private final boolean fork;
    private final int depth;

    Deltas(Entry base, byte[] data, ThreadLocal<Resolver> perThread, boolean fork, int depth) {
      this.base = base;
      this.data = data;
      this.perThread = perThread;
      this.fork = fork;
      this.depth = depth;
    }

    /** A base whose deltas are being resolved, and the next of them. */
    private static final class Visit {
      final Entry base;
      final byte[] content;
      final List<Entry> deltas;
      int next;

      Visit(Entry base, byte[] content, List<Entry> deltas) {
        this.base = base;
        this.content = content;
        this.deltas = deltas;
      }
    }

    @Override
    protected void compute() {
      List<ForkJoinTask<?>> forked = new ArrayList<>();
      byte[] content = data;
      data = null; // a finished task keeps nothing alive
      RuntimeException failure = null;
      try {
        Deque<Visit> stack = new ArrayDeque<>();
        stack.push(new Visit(base, content, deltasOn(base)));
        content = null;
        while (!stack.isEmpty() && !failed) {
          Visit visit = stack.peek();
          if (visit.next == visit.deltas.size()) {
            stack.pop();
            continue;
          }
          Entry delta = visit.deltas.get(visit.next++);
          boolean last = visit.next == visit.deltas.size();
          if (last) {
            stack.pop(); // the base's content is not needed after this delta
          }
          byte[] result = resolve(visit.base, visit.content, delta);
          if (!isBase(delta)) {
            continue;
          }
          if (fork && !last && depth < FORK_DEPTH && result.length < largeObject
              && ForkJoinTask.getSurplusQueuedTaskCount() < 2) {
            forked.add(new Deltas(delta, result, perThread, true, depth + 1).fork());
          } else {
            stack.push(new Visit(delta, result, deltasOn(delta)));
          }
        }
      } catch (IOException e) {
        failed = true;
        failure = new UncheckedIOException(e);
      } catch (RuntimeException e) {
        failed = true;
        failure = e;
      }
      joinAll(forked, failure);
    }

    private List<Entry> deltasOn(Entry base) {
      List<Entry> deltas = new ArrayList<>();
      if (base.children != null) {
        for (int child : base.children) {
          deltas.add(entries.get(child));
        }
      }
      List<Entry> named = byBaseId.isEmpty() ? null : byBaseId.remove(base.id);
      if (named != null) {
        deltas.addAll(named);
      }
      return deltas;
    }

    private boolean isBase(Entry e) {
      return e.children != null || (!byBaseId.isEmpty() && byBaseId.containsKey(e.id));
    }

    private byte[] resolve(Entry base, byte[] content, Entry delta) throws IOException {
      Resolver resolver = perThread.get();
      byte[] result;
      try {
        result = BinaryDelta.apply(content, resolver.inflate(delta));
      } catch (RuntimeException e) {
        throw new CorruptObjectException("the received pack's delta at " + delta.offset
            + " does not apply to its base at " + base.offset + ": " + e);
      }
      int type = base.type;
      ObjectId id = resolver.name(type, result);
      resolver.checkCollision(id, type, result);
      delta.type = type;
      delta.id = id;
      resolved.incrementAndGet();
      if (type == Constants.OBJ_BLOB && result.length < smallBlobSize) {
        smallBlobs.blob(result);
      }
      return result;
    }
  }

  /** What one thread resolving deltas needs of its own. */
  private final class Resolver implements AutoCloseable {
    private final Inflater inflater = new Inflater();
    private final SHA1 digest = SHA1.newInstance();
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    private final DfsReader reader = db.newReader();

    byte[] inflate(Entry e) throws IOException {
      return inflateLocal(e, inflater, input);
    }

    ObjectId name(int type, byte[] data) {
      digest.reset();
      digest.update(objectHeader(type, data.length));
      digest.update(data);
      return digest.toObjectId();
    }

    void checkCollision(ObjectId id, int type, byte[] data) throws IOException {
      if (!isStored(reader, id)) {
        return;
      }
      try {
        if (!Arrays.equals(reader.open(id, type).getCachedBytes(data.length), data)) {
          throw collision(id);
        }
      } catch (MissingObjectException notHere) {
        // gone meanwhile: nothing to compare with
      }
    }

    @Override
    public void close() {
      inflater.end();
      reader.close();
    }
  }

  /** The inflated content of {@code e} (a whole object, or a delta's instructions) from the local copy. */
  private byte[] inflateLocal(Entry e, Inflater inflater, ByteBuffer input) throws IOException {
    if (e.size > Integer.MAX_VALUE - 8) {
      throw new IOException("the received pack's object at " + e.offset + " is too large to resolve ("
          + e.size + " bytes)");
    }
    long dataEnd = e.dataEnd;
    long at = e.offset + e.headerLength;
    byte[] result = new byte[(int) e.size];
    int done = 0;
    inflater.reset();
    MappedByteBuffer map = mapped;
    if (map != null) {
      inflater.setInput(map.slice((int) at, (int) (dataEnd - at)));
      at = dataEnd;
    }
    try {
      while (!inflater.finished()) {
        if (inflater.needsInput()) {
          if (at >= dataEnd) {
            throw new CorruptObjectException("the received pack's object at " + e.offset + " is cut short");
          }
          input.clear();
          input.limit((int) Math.min(input.capacity(), dataEnd - at));
          readLocal(at, input.array(), 0, input.limit());
          inflater.setInput(input.array(), 0, input.limit());
          at += input.limit();
        }
        int n = inflater.inflate(result, done, result.length - done);
        if (n == 0 && !inflater.finished() && !inflater.needsInput()) {
          throw new CorruptObjectException("the received pack's object at " + e.offset + " does not inflate");
        }
        done += n;
      }
    } catch (DataFormatException ex) {
      throw new CorruptObjectException("the received pack's object at " + e.offset + " does not inflate: "
          + ex.getMessage());
    }
    if (done != e.size) {
      throw new CorruptObjectException("the received pack's object at " + e.offset + " inflates to "
          + done + " bytes, not " + e.size);
    }
    return result;
  }

  private void readLocal(long at, byte[] into, int from, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(into, from, length);
    long p = at;
    while (bytes.hasRemaining()) {
      int n = local.read(bytes, p);
      if (n < 0) {
        throw new EOFException("the local copy of the received pack ends at " + p);
      }
      p += n;
    }
  }

  // ---- JGit's parser's steps, which parse() above replaces

  @Override
  protected void onStoreStream(byte[] raw, int pos, int len) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onObjectHeader(Source src, byte[] raw, int pos, int len) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onObjectData(Source src, byte[] raw, int pos, int len) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onInflatedObjectData(PackedObjectInfo obj, int typeCode, byte[] data) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onPackHeader(long objCnt) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onPackFooter(byte[] hash) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected boolean onAppendBase(int typeCode, byte[] data, PackedObjectInfo info) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onEndThinPack() {
    throw new UnsupportedOperationException();
  }

  @Override
  protected ObjectTypeAndSize seekDatabase(PackedObjectInfo obj, ObjectTypeAndSize info) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected ObjectTypeAndSize seekDatabase(UnresolvedDelta delta, ObjectTypeAndSize info) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected int readDatabase(byte[] dst, int pos, int cnt) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected boolean checkCRC(int oldCRC) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onBeginWholeObject(long streamPosition, int type, long inflatedSize) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onEndWholeObject(PackedObjectInfo info) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onBeginOfsDelta(long deltaStreamPosition, long baseStreamPosition, long inflatedSize) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void onBeginRefDelta(long deltaStreamPosition, AnyObjectId baseId, long inflatedSize) {
    throw new UnsupportedOperationException();
  }
}
