package dev.bunker.ado.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The chunks of one stored attachment, in order, from one stream; a chunk asked for again (a retry)
 * opens the attachment anew and skips to it.
 */
final class AttachmentChunks implements AutoCloseable {
  private final Supplier<InputStream> open;
  private final String fileName;
  private InputStream stream;
  private long position;

  AttachmentChunks(Supplier<InputStream> open, String fileName) {
    this.open = open;
    this.fileName = fileName;
  }

  synchronized InputStream open(long offset, long length) {
    try {
      if (stream == null || position != offset) {
        close();
        stream = open.get();
        stream.skipNBytes(offset);
        position = offset;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the stored attachment " + fileName + " ends before byte " + offset, e);
    }
    long end = offset + length;
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int at, int wanted) throws IOException {
        synchronized (AttachmentChunks.this) {
          if (position >= end) {
            return -1;
          }
          int n = stream.read(buffer, at, (int) Math.min(wanted, end - position));
          if (n < 0) {
            throw new IOException("the stored attachment " + fileName + " ends at byte " + position
                + ", before its recorded size");
          }
          position += n;
          return n;
        }
      }
    };
  }

  @Override
  public synchronized void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // only read from: nothing is lost
      }
      stream = null;
    }
  }
}
