package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.BlobNotFoundException;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.testing.ManualClock;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
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
  void copiesTheFileInRangedReadsOfTheChunkSizeIntoAnUnlinkedLocalFile() throws IOException {
    byte[] content = new byte[10_000];
    new Random(5).nextBytes(content);
    stored.write("r/objects/pack-1.pack", content, Blobs.Condition.NONE, null);
    Map<String, Integer> calls = new TreeMap<>();

    try (FileChannel copy = PackDownload.copy(GitStoreContract.counting(stored, calls), "r/objects/pack-1.pack",
        content.length, 1024, 3, READS)) {
      ByteBuffer read = ByteBuffer.allocate(content.length);
      while (read.hasRemaining() && copy.read(read, read.position()) > 0) {
        // positional reads until the buffer is full
      }
      assertThat(read.array()).isEqualTo(content);
      assertThat(calls).isEqualTo(Map.of("read pack", 10));
      assertThat(localCopies()).singleElement().satisfies(target -> assertThat(target).endsWith("(deleted)"));
    }
    assertThat(localCopies()).isEmpty();
  }

  @Test
  void aFileShorterThanItsDescriptionFailsAndLeavesNothingOpen() throws IOException {
    stored.write("r/objects/pack-2.pack", new byte[3000], Blobs.Condition.NONE, null);

    assertThatThrownBy(() -> PackDownload.copy(stored, "r/objects/pack-2.pack", 5000, 1024, 2, READS))
        .isInstanceOf(EOFException.class).hasMessageContaining("ends at 3000 in storage, before the");
    assertThatThrownBy(() -> PackDownload.copy(stored, "r/objects/pack-3.pack", 5000, 1024, 2, READS))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(localCopies()).isEmpty();
  }

  /** The copies open in this process: unlinked when opened, so found by their descriptors (Linux). */
  private static Set<String> localCopies() throws IOException {
    try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
      return descriptors.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          return "";
        }
      }).filter(target -> target.contains("bunker-read-")).collect(Collectors.toSet());
    }
  }
}
