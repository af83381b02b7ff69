package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stored file copied to a local temporary file (unlinked when opened: gone with its channel), read
 * in ranged reads of {@code chunk} bytes, {@code inFlight} at a time. Memory: {@code inFlight}
 * chunks.
 */
final class PackDownload {
  private PackDownload() {}

  static FileChannel copy(Blobs blobs, String name, long size, int chunk, int inFlight, Executor executor)
      throws IOException {
    FileChannel copy = FileChannel.open(Files.createTempFile("bunker-read-", ".pack"), StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    try {
      Semaphore slots = new Semaphore(inFlight);
      AtomicBoolean failed = new AtomicBoolean();
      List<CompletableFuture<Void>> reads = new ArrayList<>();
      for (long start = 0; start < size && !failed.get(); start += chunk) {
        long at = start;
        int length = (int) Math.min(chunk, size - start);
        slots.acquire();
        reads.add(CompletableFuture.runAsync(() -> {
          try {
            read(blobs, name, at, length, copy);
          } catch (IOException e) {
            failed.set(true); // the rest would only be read to be thrown away
            throw new UncheckedIOException(e);
          } catch (RuntimeException e) {
            failed.set(true);
            throw e;
          } finally {
            slots.release();
          }
        }, executor));
      }
      CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get();
      return copy;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(copy);
      throw new InterruptedIOException("interrupted while copying " + name + " from storage");
    } catch (ExecutionException e) {
      close(copy);
      Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot copy " + name + " from storage: " + cause, cause);
    } catch (RuntimeException e) {
      close(copy);
      throw e;
    }
  }

  private static void read(Blobs blobs, String name, long start, int length, FileChannel copy) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (blobs.read(name, start + buffer.position(), buffer) <= 0) {
        throw new EOFException(name + " ends at " + (start + buffer.position()) + " in storage, before the "
            + (start + length) + " bytes its pack description gives");
      }
    }
    buffer.flip();
    long at = start;
    while (buffer.hasRemaining()) {
      at += copy.write(buffer, at);
    }
  }

  private static void close(FileChannel copy) {
    try {
      copy.close();
    } catch (IOException e) {
      // a temporary file, already unlinked: the operating system reclaims it
    }
  }
}
