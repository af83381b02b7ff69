package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stored files copied to local temporary files (unlinked when opened: gone with their channels),
 * read in ranged reads of {@code chunk} bytes, {@code inFlight} at a time across all the files.
 * Memory: {@code inFlight} chunks.
 */
final class PackDownload {
  /** Slices a chunk is written in: the JDK copies a heap buffer through a per-thread direct one this large. */
  private static final int WRITE_SLICE = 256 << 10;

  private PackDownload() {}

  /**
   * Copies each file of {@code sizes} (name to bytes), all or none: on any failure the copies made
   * are closed and the first failure thrown (a file shorter than its size: {@link EOFException}).
   */
  static Map<String, FileChannel> copy(Blobs blobs, Map<String, Long> sizes, int chunk, int inFlight,
      Executor executor) throws IOException {
    Map<String, FileChannel> copies = new LinkedHashMap<>();
    Semaphore slots = new Semaphore(inFlight);
    AtomicBoolean failed = new AtomicBoolean();
    List<CompletableFuture<Void>> reads = new ArrayList<>();
    try {
      for (Map.Entry<String, Long> file : sizes.entrySet()) {
        String name = file.getKey();
        FileChannel copy = open();
        copies.put(name, copy);
        for (long start = 0; start < file.getValue() && !failed.get(); start += chunk) {
          long at = start;
          int length = (int) Math.min(chunk, file.getValue() - start);
          slots.acquire();
          CompletableFuture<Void> read;
          try {
            read = CompletableFuture.runAsync(() -> {
              if (failed.get()) {
                return; // the copy is given up: read nothing more
              }
              try {
                read(blobs, name, at, length, file.getValue(), copy);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }, executor);
          } catch (RuntimeException e) {
            slots.release();
            throw e;
          }
          reads.add(read.whenComplete((done, e) -> {
            if (e != null) {
              failed.set(true);
            }
            slots.release();
          }));
        }
      }
      CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get();
      return copies;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed.set(true);
      closeAll(copies);
      throw new InterruptedIOException("interrupted while copying packs from storage");
    } catch (ExecutionException e) {
      closeAll(copies);
      Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot copy packs from storage: " + cause, cause);
    } catch (IOException | RuntimeException | Error e) {
      failed.set(true);
      closeAll(copies);
      throw e;
    }
  }

  private static FileChannel open() throws IOException {
    Path file = Files.createTempFile("bunker-read-", ".pack");
    try {
      return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.DELETE_ON_CLOSE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Bytes {@code [start, start + length)} of {@code name}, whose pack description gives it {@code size} bytes. */
  private static void read(Blobs blobs, String name, long start, int length, long size, FileChannel copy)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (blobs.read(name, start + buffer.position(), buffer) <= 0) {
        // chunks are read in parallel: the one that finds the end first says where it looked
        throw new EOFException(name + " is shorter in storage than the " + size + " bytes its pack description"
            + " gives: it ends at or before " + (start + buffer.position()));
      }
    }
    for (int off = 0; off < length; off += WRITE_SLICE) {
      ByteBuffer slice = ByteBuffer.wrap(buffer.array(), off, Math.min(WRITE_SLICE, length - off));
      while (slice.hasRemaining()) {
        copy.write(slice, start + slice.position());
      }
    }
  }

  static void closeAll(Map<String, FileChannel> copies) {
    copies.values().forEach(BlobObjDatabase::closeQuietly);
  }
}
