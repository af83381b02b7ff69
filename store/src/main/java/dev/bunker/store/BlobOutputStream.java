package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.LongConsumer;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;

/**
 * Writes one file as a block blob: each full block is staged (Put Block) in the background while
 * JGit goes on producing the next, at most a few at once, and the block list is committed (Put
 * Block List) on close. Memory: the block being filled plus the blocks in flight. A small file is
 * one Put Blob.
 *
 * <p>JGit's pack writers read a file back before it is committed (when opened to {@code readBack}):
 * bytes still in the buffer are served from memory, bytes already staged from a local spool file
 * that holds every staged block (deleted on close), so they never read the file back from storage
 * nor commit the blocks staged so far; they wait only for the uploads in flight. Disk: up to the
 * file's size in the temporary directory, while it is written. A received pack's parser keeps a
 * copy of its own and spools nothing here. The pack is invisible to readers until the manifest
 * makes it live.
 *
 * <p>Every write, block upload and commit first runs the lease check: once the writer's lease is
 * known lost, the file stops growing in storage at once (what was staged is never committed, or
 * left to the orphan sweeper). Blocks already being uploaded when the loss becomes known cannot be
 * called back; the writer waits for them before it reports the loss, so nothing of the file is
 * still being sent once the backup has failed.
 */
final class BlobOutputStream extends DfsOutputStream {
  private static final int FIRST_BUFFER = 64 * 1024;

  private final Blobs blobs;
  private final Executor uploads;
  private final String name;
  private final int blockSize;
  private final int maxInFlight;
  private final Runnable leaseCheck;
  private final LongConsumer onClose;
  private final List<String> blocks = new ArrayList<>();
  private final Deque<FutureTask<Void>> inFlight = new ArrayDeque<>();
  private byte[] buffer = new byte[0];
  private int count;
  private long staged;
  private final boolean readBack;
  private FileChannel spool;
  private boolean closed;

  /**
   * @param readBack whether the writer reads what it wrote back before closing ({@link #read});
   *     only then are staged blocks kept in a local spool file
   */
  BlobOutputStream(Blobs blobs, Executor uploads, String name, int blockSize, int maxInFlight,
      boolean readBack, Runnable leaseCheck, LongConsumer onClose) {
    this.readBack = readBack;
    this.blobs = blobs;
    this.uploads = uploads;
    this.name = name;
    this.blockSize = blockSize;
    this.maxInFlight = maxInFlight;
    this.leaseCheck = leaseCheck;
    this.onClose = onClose;
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    ensureLeaseHeld();
    while (length > 0) {
      if (count == buffer.length) {
        if (buffer.length == blockSize) {
          stage();
        } else {
          // Grow gradually: most files (indexes, reftables) are far smaller than a block.
          buffer = Arrays.copyOf(buffer, Math.min(blockSize,
              Math.max(FIRST_BUFFER, buffer.length * 2)));
        }
      }
      int n = Math.min(length, buffer.length - count);
      System.arraycopy(data, offset, buffer, count, n);
      count += n;
      offset += n;
      length -= n;
    }
  }

  private void stage() throws IOException {
    String id = Base64.getEncoder().encodeToString(
        String.format("block-%08d", blocks.size()).getBytes(StandardCharsets.US_ASCII));
    byte[] block = buffer;
    int length = count;
    if (readBack) {
      spool(block, length);
    }
    FutureTask<Void> upload = new FutureTask<>(() -> {
      leaseCheck.run(); // a block queued before the lease was lost is not sent after
      blobs.stageBlock(name, id, block, length);
      return null;
    });
    uploads.execute(upload);
    inFlight.add(upload);
    blocks.add(id);
    staged += length;
    buffer = new byte[blockSize];
    count = 0;
    while (inFlight.size() > maxInFlight) {
      await(inFlight.poll());
    }
  }

  /** Fails once the lease is known lost, after the uploads still running have ended. */
  private void ensureLeaseHeld() throws IOException {
    try {
      leaseCheck.run();
    } catch (RuntimeException lost) {
      abandonUploads();
      throw lost;
    }
  }

  /** Waits for every upload to end; those not yet started fail their own lease check. */
  private void abandonUploads() throws InterruptedIOException {
    while (!inFlight.isEmpty()) {
      try {
        inFlight.poll().get();
      } catch (ExecutionException abandoned) {
        // The block is never committed: its failure does not matter any more.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while abandoning uploads");
      }
    }
  }

  private void spool(byte[] block, int length) throws IOException {
    if (spool == null) {
      spool = FileChannel.open(Files.createTempFile("bunker-spool-", ".part"), StandardOpenOption.READ,
          StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    }
    ByteBuffer data = ByteBuffer.wrap(block, 0, length);
    long at = staged;
    while (data.hasRemaining()) {
      at += spool.write(data, at);
    }
  }

  private void awaitUploads() throws IOException {
    while (!inFlight.isEmpty()) {
      await(inFlight.poll());
    }
  }

  private static void await(FutureTask<Void> upload) throws IOException {
    try {
      upload.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while uploading");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException store) {
        throw store;
      }
      throw new IOException(e.getCause());
    }
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (!readBack) {
      throw new UnsupportedOperationException(name + " was opened without reading back");
    }
    if (position >= staged) {
      int offset = (int) (position - staged);
      if (offset >= count) {
        return -1;
      }
      int n = Math.min(dst.remaining(), count - offset);
      dst.put(buffer, offset, n);
      return n;
    }
    // JGit reads back once the whole pack has come (delta resolution): the uploads then have to be
    // done before long anyway, and waiting here keeps the writer from running ahead of a lost lease
    ensureLeaseHeld();
    awaitUploads();
    ByteBuffer slice = dst.slice();
    slice.limit((int) Math.min(slice.limit(), staged - position));
    int n = spool.read(slice, position);
    if (n > 0) {
      dst.position(dst.position() + n);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel spooled = spool) {
      finish();
    }
  }

  private void finish() throws IOException {
    ensureLeaseHeld();
    if (blocks.isEmpty()) {
      blobs.write(name, Arrays.copyOf(buffer, count), Blobs.Condition.NONE, null);
    } else {
      if (count > 0) {
        stage();
      }
      awaitUploads();
      blobs.commitBlocks(name, blocks, Blobs.Condition.NONE);
    }
    onClose.accept(staged + count);
    buffer = null;
  }
}
