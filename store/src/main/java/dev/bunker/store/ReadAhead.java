package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns JGit's block reads into fewer, larger ranged GETs. JGit opens a new channel for every
 * block it misses in its cache, so the window lives here, per repository and file, not in the
 * channel: a read that continues where the last one of the same file ended doubles the next GET
 * (up to the configured maximum); a random read fetches just its block. Memory is bounded by a
 * few windows of the maximum size.
 */
final class ReadAhead {
  private static final int FILES = 4;

  private final Blobs blobs;
  private final int maxWindow;
  private final Map<String, Window> windows = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
      return size() > FILES;
    }
  };

  /** Bytes of a file from {@code start}; {@code data} may be null (read went straight to the
   * caller), then only the end position is remembered, to detect the next sequential read. */
  private record Window(long start, int length, byte[] data, int nextLength) {
    long end() {
      return start + length;
    }

    boolean holds(long position) {
      return data != null && position >= start && position < end();
    }
  }

  ReadAhead(Blobs blobs, GitStore.Options options) {
    this.blobs = blobs;
    this.maxWindow = options.maxReadAhead();
  }

  /** A caller announcing a sequential read of {@code bytes} from {@code position}. */
  synchronized void expect(String name, long position, int bytes) {
    if (bytes > 0) {
      windows.put(name, new Window(position, 0, null, Math.min(bytes, maxWindow)));
    }
  }

  int read(String name, long size, long position, ByteBuffer dst) throws IOException {
    int copied = 0;
    Window previous;
    synchronized (this) {
      previous = windows.get(name);
      if (previous != null && previous.holds(position)) {
        int offset = (int) (position - previous.start);
        copied = Math.min(dst.remaining(), previous.length - offset);
        dst.put(previous.data, offset, copied);
        if (!dst.hasRemaining()) {
          return copied;
        }
        position += copied;
      }
    }
    int n = fetch(name, size, position, dst, previous);
    return copied == 0 ? n : copied + Math.max(n, 0);
  }

  private int fetch(String name, long size, long position, ByteBuffer dst, Window previous)
      throws IOException {
    int wanted = dst.remaining();
    boolean sequential = previous != null && previous.end() == position;
    int window = sequential ? Math.max(wanted, previous.nextLength) : wanted;
    window = (int) Math.min(window, size - position);
    if (window <= wanted) {
      int n = readFully(name, position, dst);
      remember(name, new Window(position, Math.max(n, 0), null, next(wanted)));
      return n;
    }
    ByteBuffer buffer = ByteBuffer.allocate(window);
    int n = readFully(name, position, buffer);
    if (n <= 0) {
      return n;
    }
    int copied = Math.min(n, wanted);
    dst.put(buffer.array(), 0, copied);
    remember(name, new Window(position, n, buffer.array(), next(window)));
    return copied;
  }

  private int next(int length) {
    return (int) Math.min((long) length * 2, maxWindow);
  }

  private synchronized void remember(String name, Window window) {
    windows.put(name, window);
  }

  private int readFully(String name, long position, ByteBuffer dst) throws IOException {
    int total = 0;
    while (dst.hasRemaining()) {
      int n = blobs.read(name, position + total, dst);
      if (n <= 0) {
        return total == 0 ? n : total;
      }
      total += n;
    }
    return total;
  }
}
