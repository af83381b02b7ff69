package dev.bunker.store;

import dev.bunker.store.blob.BlobNotFoundException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads one pack file (or index, bitmap, reftable) by ranged GETs. The size comes from the
 * manifest, so opening costs no request; reads go through the repository's {@link ReadAhead}.
 */
final class BlobChannel extends PositionedChannel {
  private final BlobObjDatabase database;
  private final ReadAhead readAhead;
  private final String name;
  private final long size;

  BlobChannel(BlobObjDatabase database, ReadAhead readAhead, String name, long size,
      int blockSize) {
    super(blockSize);
    this.database = database;
    this.readAhead = readAhead;
    this.name = name;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    long position = position();
    if (position >= size) {
      return -1;
    }
    int wanted = (int) Math.min(dst.remaining(), size - position);
    ByteBuffer slice = dst.slice().limit(wanted);
    int n;
    try {
      n = readAhead.read(name, size, position, slice);
    } catch (BlobNotFoundException e) {
      throw database.missing(name, e);
    } catch (IOException e) {
      throw new BlobUnavailableException(database.where(name) + " could not be read: "
          + e.getMessage(), e);
    }
    if (n < wanted) {
      String message = database.where(name) + " is shorter than manifest.json says (" + size
          + " bytes; got " + (position + Math.max(n, 0)) + ")";
      database.recordFailure(message);
      throw new EOFException(message);
    }
    dst.position(dst.position() + n);
    advance(n);
    return n;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void setReadAheadBytes(int bytes) {
    readAhead.expect(name, position(), bytes);
  }
}
