package dev.bunker.store.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A blob read as a stream, one ranged read at a time as it is consumed: memory holds one range,
 * never the blob. Meant for blobs written once (content-addressed objects): a blob replaced while
 * it is read yields parts of both, which such readers catch by checking a hash at the end.
 */
public final class BlobInputStream extends InputStream {
  private final Blobs blobs;
  private final String name;
  private final ByteBuffer range;
  private long offset;
  private boolean ended;

  private BlobInputStream(Blobs blobs, String name, int rangeSize) {
    this.blobs = blobs;
    this.name = name;
    this.range = ByteBuffer.allocate(rangeSize).limit(0);
  }

  /** Blob {@code name} read {@code rangeSize} bytes at a time, or empty when it does not exist. */
  public static Optional<InputStream> open(Blobs blobs, String name, int rangeSize)
      throws IOException {
    BlobInputStream in = new BlobInputStream(blobs, name, rangeSize);
    try {
      in.fill(); // the first range, which tells whether the blob exists
    } catch (BlobNotFoundException e) {
      return Optional.empty();
    }
    return Optional.of(in);
  }

  @Override
  public int read() throws IOException {
    if (!range.hasRemaining() && !fill()) {
      return -1;
    }
    return range.get() & 0xff;
  }

  @Override
  public int read(byte[] buffer, int off, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!range.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(length, range.remaining());
    range.get(buffer, off, n);
    return n;
  }

  /** Reads the next range; false at the end of the blob. */
  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    range.clear();
    int n = blobs.read(name, offset, range);
    range.flip();
    if (n <= 0) {
      ended = true;
      return false;
    }
    offset += n;
    return true;
  }
}
