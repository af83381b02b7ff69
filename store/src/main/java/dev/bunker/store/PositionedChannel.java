package dev.bunker.store;

import org.eclipse.jgit.internal.storage.dfs.ReadableChannel;

/** What the store's readable channels share: a position, a block size, whether it is open. */
abstract class PositionedChannel implements ReadableChannel {
  private final int blockSize;
  private long position;
  private boolean open = true;

  PositionedChannel(int blockSize) {
    this.blockSize = blockSize;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void position(long newPosition) {
    position = newPosition;
  }

  /** Moves the position past {@code n} bytes just read. */
  void advance(int n) {
    position += n;
  }

  @Override
  public int blockSize() {
    return blockSize;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
