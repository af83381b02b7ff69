package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.BlobNotFoundException;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.store.testing.OpenFiles;
import dev.bunker.testing.ManualClock;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PackDownloadTest {
  private static final ExecutorService READS = Executors.newCachedThreadPool();
  private final InMemoryBlobs stored = new InMemoryBlobs(new ManualClock(Instant.parse("2026-12-05T00:00:00Z")));

  @AfterAll
  static void stop() {
    READS.shutdownNow();
  }

  @Test
  void copiesEachFileInRangedReadsOfTheChunkSizeIntoUnlinkedLocalFiles() throws IOException {
    byte[] first = new byte[10_000];
    byte[] second = new byte[2_500];
    new Random(5).nextBytes(first);
    new Random(6).nextBytes(second);
    stored.write("r/objects/pack-1.pack", first, Blobs.Condition.NONE, null);
    stored.write("r/objects/pack-2.pack", second, Blobs.Condition.NONE, null);
    Map<String, Integer> calls = new ConcurrentHashMap<>();

    Map<String, FileChannel> copies = PackDownload.copy(GitStoreContract.counting(stored, calls),
        Map.of("r/objects/pack-1.pack", 10_000L, "r/objects/pack-2.pack", 2_500L), 1024, 3, READS);
    try {
      assertThat(content(copies.get("r/objects/pack-1.pack"), first.length)).isEqualTo(first);
      assertThat(content(copies.get("r/objects/pack-2.pack"), second.length)).isEqualTo(second);
      assertThat(calls).isEqualTo(Map.of("read pack", 10 + 3));
      assertThat(localCopies()).hasSize(2).allSatisfy(target -> assertThat(target).endsWith("(deleted)"));
    } finally {
      PackDownload.closeAll(copies);
    }
    assertThat(localCopies()).isEmpty();
  }

  @Test
  void aFileShorterThanItsSizeOrMissingFailsTheWholeCopyAndLeavesNothingOpen() throws IOException {
    stored.write("r/objects/pack-1.pack", new byte[4000], Blobs.Condition.NONE, null);
    stored.write("r/objects/pack-2.pack", new byte[3000], Blobs.Condition.NONE, null);

    assertThatThrownBy(() -> PackDownload.copy(stored, Map.of("r/objects/pack-1.pack", 4000L,
        "r/objects/pack-2.pack", 5000L), 1024, 2, READS))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("r/objects/pack-2.pack is shorter in storage than the 5000 bytes");
    assertThatThrownBy(() -> PackDownload.copy(stored, Map.of("r/objects/pack-3.pack", 5000L), 1024, 2, READS))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(localCopies()).isEmpty();
  }

  private static byte[] content(FileChannel copy, int size) throws IOException {
    ByteBuffer read = ByteBuffer.allocate(size);
    while (read.hasRemaining() && copy.read(read, read.position()) > 0) {
      // positional reads until the buffer is full
    }
    return read.array();
  }

  private static Set<String> localCopies() throws IOException {
    return OpenFiles.containing("bunker-read-");
  }
}
