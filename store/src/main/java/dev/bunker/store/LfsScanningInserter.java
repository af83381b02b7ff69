package dev.bunker.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.eclipse.jgit.internal.storage.dfs.DfsInserter;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.transport.PackedObjectInfo;

/**
 * JGit's DFS inserter whose pack parser notes the Git LFS pointers among the blobs it receives, as it
 * parses them: a blob small enough to be a pointer ({@link LfsPointer#MAX_SIZE}) is read from the
 * stream it arrives in (whole) or from the bytes delta resolution made of it, so finding the
 * pointers a fetch brought parses no tree and reads nothing back from storage.
 */
final class LfsScanningInserter extends DfsInserter {
  /** The pointers the packs parsed through one object database received. */
  static final class Received {
    private final Set<LfsPointer> pointers = ConcurrentHashMap.newKeySet();
    private volatile boolean packParsed;

    /** The pointers received, once a pack was received and parsed whole; empty before. */
    Optional<Set<LfsPointer>> pointers() {
      return packParsed ? Optional.of(Set.copyOf(pointers)) : Optional.empty();
    }

    private void blob(byte[] content) {
      LfsPointer.parse(content).ifPresent(pointers::add);
    }
  }

  private final DfsObjDatabase db;
  private final Received received;

  LfsScanningInserter(DfsObjDatabase db, Received received) {
    super(db);
    this.db = db;
    this.received = received;
  }

  @Override
  public DfsPackParser newPackParser(InputStream in) throws IOException {
    return new Parser(in);
  }

  private final class Parser extends DfsPackParser {
    private final Inflater inflater = new Inflater();
    /** The deflated bytes of the whole blob being read, while it may be a pointer; else null. */
    private ByteArrayOutputStream smallBlob;
    private int smallBlobSize;

    Parser(InputStream in) {
      super(db, LfsScanningInserter.this, in);
    }

    @Override
    public PackLock parse(ProgressMonitor receiving, ProgressMonitor resolving)
        throws IOException {
      try {
        PackLock lock = super.parse(receiving, resolving);
        received.packParsed = true;
        return lock;
      } finally {
        inflater.end();
      }
    }

    @Override
    protected void onBeginWholeObject(long streamPosition, int type, long inflatedSize) throws IOException {
      super.onBeginWholeObject(streamPosition, type, inflatedSize);
      boolean candidate = type == Constants.OBJ_BLOB && inflatedSize < LfsPointer.MAX_SIZE;
      smallBlob = candidate ? new ByteArrayOutputStream() : null;
      smallBlobSize = (int) inflatedSize;
    }

    @Override
    protected void onObjectData(PackParser.Source src, byte[] raw, int pos, int len) throws IOException {
      super.onObjectData(src, raw, pos, len);
      if (smallBlob != null && src == PackParser.Source.INPUT) {
        smallBlob.write(raw, pos, len);
      }
    }

    @Override
    protected void onEndWholeObject(PackedObjectInfo info) throws IOException {
      super.onEndWholeObject(info);
      if (smallBlob != null) {
        // whole blobs reach no other callback inflated; a pointer's deflated form is tiny
        byte[] content = new byte[smallBlobSize];
        inflater.reset();
        inflater.setInput(smallBlob.toByteArray());
        try {
          inflater.inflate(content);
        } catch (DataFormatException e) {
          throw new IOException("pack object at " + info.getOffset() + " does not inflate: " + e.getMessage(), e);
        }
        smallBlob = null;
        received.blob(content);
      }
    }

    @Override
    protected void onInflatedObjectData(PackedObjectInfo obj, int typeCode, byte[] data) throws IOException {
      // whole commits, trees and tags, and every object resolved from a delta
      super.onInflatedObjectData(obj, typeCode, data);
      if (typeCode == Constants.OBJ_BLOB && data.length < LfsPointer.MAX_SIZE) {
        received.blob(data);
      }
    }
  }
}
