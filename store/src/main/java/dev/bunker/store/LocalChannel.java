package dev.bunker.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file this process just wrote to storage from the local copy it kept while writing it
 * (the pack a fetch received, and its index), so that reading it back during the same operation
 * costs no request. The copy is the caller's to close.
 */
final class LocalChannel extends PositionedChannel {
  private final FileChannel copy;

  LocalChannel(FileChannel copy, int blockSize) {
    super(blockSize);
    this.copy = copy;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = copy.read(dst, position());
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long size() throws IOException {
    return copy.size();
  }

  @Override
  public void setReadAheadBytes(int bytes) {
    // local reads need no read-ahead
  }
}
