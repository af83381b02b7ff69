package dev.bunker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every blob store does; run against each implementation. */
public abstract class BlobStoreContract {

  /** A store isolated from other tests (its own container or prefix). */
  protected abstract BlobStore newStore();

  private final String prefix = "t-" + UUID.randomUUID() + "/";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsBackWhatWasCreated() {
    BlobStore store = newStore();
    assertThat(store.createIfAbsent(prefix + "a", bytes("alpha"))).isTrue();
    assertThat(store.read(prefix + "a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("alpha")));
  }

  @Test
  void missingBlobReadsAsEmpty() {
    assertThat(newStore().read(prefix + "nothing-here")).isEmpty();
  }

  @Test
  void anExistingBlobIsNeverOverwritten() {
    BlobStore store = newStore();
    store.createIfAbsent(prefix + "a", bytes("first"));
    assertThat(store.createIfAbsent(prefix + "a", bytes("second"))).isFalse();
    assertThat(store.read(prefix + "a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("first")));
  }

  @Test
  void emptyAndLargeContentSurvive() {
    BlobStore store = newStore();
    byte[] large = new byte[5 * 1024 * 1024 + 17];
    new java.util.Random(1).nextBytes(large);
    store.createIfAbsent(prefix + "empty", new byte[0]);
    store.createIfAbsent(prefix + "large", large);
    assertThat(store.read(prefix + "empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.read(prefix + "large")).hasValueSatisfying(v -> assertThat(v).isEqualTo(large));
  }

  @Test
  void aStreamedBlobReadsBackAndNeverOverwrites() {
    BlobStore store = newStore();
    byte[] large = new byte[3 * 1024 * 1024 + 5];
    new java.util.Random(2).nextBytes(large);
    assertThat(store.createIfAbsent(prefix + "s", new java.io.ByteArrayInputStream(large), large.length)).isTrue();
    assertThat(store.createIfAbsent(prefix + "s", new java.io.ByteArrayInputStream(bytes("other")), 5)).isFalse();
    assertThat(store.read(prefix + "s")).hasValueSatisfying(v -> assertThat(v).isEqualTo(large));
    assertThat(store.open(prefix + "s")).hasValueSatisfying(in -> {
      try (in) {
        assertThat(in.readAllBytes()).isEqualTo(large);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(store.open(prefix + "nothing-here")).isEmpty();
  }

  @Test
  void listsNamesUnderAPrefixInOrder() {
    BlobStore store = newStore();
    store.createIfAbsent(prefix + "s/2.json", bytes("2"));
    store.createIfAbsent(prefix + "s/1.json", bytes("1"));
    store.createIfAbsent(prefix + "s/sub/3.json", bytes("3"));
    store.createIfAbsent(prefix + "t/4.json", bytes("4"));
    assertThat(store.list(prefix + "s/")).extracting(BlobStore.StoredBlob::name)
        .containsExactly(prefix + "s/1.json", prefix + "s/2.json", prefix + "s/sub/3.json");
    assertThat(store.list(prefix + "s/")).extracting(BlobStore.StoredBlob::size).containsExactly(1L, 1L, 1L);
    assertThat(store.list(prefix + "s/")).allSatisfy(blob ->
        assertThat(blob.lastModified()).isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(600)));
    assertThat(store.list(prefix + "none/")).isEmpty();
  }

  @Test
  void deletingRemovesOnceAndMissingIsNoError() {
    BlobStore store = newStore();
    store.createIfAbsent(prefix + "gone", bytes("x"));
    assertThat(store.delete(prefix + "gone")).isTrue();
    assertThat(store.delete(prefix + "gone")).isFalse();
    assertThat(store.read(prefix + "gone")).isEmpty();
    assertThat(store.createIfAbsent(prefix + "gone", bytes("again"))).as("a deleted name can be written again").isTrue();
  }

  @Test
  void exactlyOneOfRacingWritersWins() throws Exception {
    BlobStore store = newStore();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> writers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String content = "writer " + i;
        writers.add(() -> store.createIfAbsent(prefix + "raced", bytes(content)));
      }
      long winners = 0;
      for (Future<Boolean> f : pool.invokeAll(writers)) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
