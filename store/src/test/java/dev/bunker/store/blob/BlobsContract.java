package dev.bunker.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.Blobs.BlobInfo;
import dev.bunker.store.blob.Blobs.Condition;
import dev.bunker.testing.ManualClock;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarantees written on {@link Blobs}, run against every implementation (restic's backend
 * test suite is the model). To plug in an implementation, extend this class and return a fresh,
 * empty container from {@link #newBlobs}; an implementation whose lease time does not follow the
 * test clock says so in {@link #leasesFollowTheManualClock()}, and the lapse tests are skipped.
 */
public abstract class BlobsContract {
  private static final Duration LEASE = Duration.ofSeconds(15);

  protected ManualClock clock;
  private Blobs blobs;

  /** Empty blobs isolated from other tests; {@code clock} is the test's. */
  protected abstract Blobs newBlobs(ManualClock clock);

  /** Whether lease time follows the test clock (in memory) rather than the service's own. */
  protected abstract boolean leasesFollowTheManualClock();

  @BeforeEach
  void setUp() {
    clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    blobs = newBlobs(clock);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] content(String name) throws Exception {
    return blobs.read(name).orElseThrow().data();
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void readsBackWhatWasWrittenWithItsVersionTag() throws Exception {
    String etag = blobs.write("a", bytes("alpha"), Condition.NONE, null);
    assertThat(blobs.read("a")).hasValueSatisfying(blob -> {
      assertThat(blob.data()).isEqualTo(bytes("alpha"));
      assertThat(blob.etag()).isEqualTo(etag);
    });
  }

  @Test
  void missingBlobReadsAsEmptyAndItsRangesAsNotFound() throws Exception {
    assertThat(blobs.read("nothing-here")).isEmpty();
    assertThatThrownBy(() -> blobs.read("nothing-here", 0, ByteBuffer.allocate(4)))
        .isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void emptyAndLargeContentSurvive() throws Exception {
    byte[] large = random(5 * 1024 * 1024 + 17, 1);
    blobs.write("empty", new byte[0], Condition.NONE, null);
    blobs.write("large", large, Condition.NONE, null);
    assertThat(content("empty")).isEmpty();
    assertThat(content("large")).isEqualTo(large);
  }

  @Test
  void rangedReadsStopAtTheEnd() throws Exception {
    blobs.write("r", bytes("0123456789"), Condition.NONE, null);
    ByteBuffer dst = ByteBuffer.allocate(4);
    assertThat(blobs.read("r", 8, dst)).isEqualTo(2);
    assertThat(new String(dst.array(), 0, 2, StandardCharsets.UTF_8)).isEqualTo("89");
    assertThat(blobs.read("r", 10, ByteBuffer.allocate(4))).isEqualTo(-1);
  }

  @Test
  void aBlobReadAsAStreamReadsBackWhole() throws Exception {
    byte[] large = random(3 * 1024 * 1024 + 5, 2);
    blobs.write("s", large, Condition.NONE, null);
    blobs.write("empty", new byte[0], Condition.NONE, null);
    try (InputStream in = BlobInputStream.open(blobs, "s", 1 << 20).orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(large);
    }
    try (InputStream in = BlobInputStream.open(blobs, "empty", 1 << 20).orElseThrow()) {
      assertThat(in.readAllBytes()).isEmpty();
    }
    assertThat(BlobInputStream.open(blobs, "nothing-here", 1 << 20)).isEmpty();
  }

  @Test
  void anExistingBlobIsNeverOverwrittenByACreate() throws Exception {
    blobs.write("a", bytes("first"), Condition.ABSENT, null);
    assertThatThrownBy(() -> blobs.write("a", bytes("second"), Condition.ABSENT, null))
        .isInstanceOf(ConditionFailedException.class);
    assertThat(content("a")).isEqualTo(bytes("first"));
  }

  @Test
  void aReplaceHoldsOnlyWhileTheVersionTagDoes() throws Exception {
    String first = blobs.write("m", bytes("1"), Condition.NONE, null);
    String second = blobs.write("m", bytes("2"), Condition.matching(first), null);
    assertThat(second).isNotEqualTo(first);
    assertThatThrownBy(() -> blobs.write("m", bytes("3"), Condition.matching(first), null))
        .as("a writer that read version 1").isInstanceOf(ConditionFailedException.class);
    assertThatThrownBy(() -> blobs.write("gone", bytes("3"), Condition.matching(first), null))
        .as("no blob of that name").isInstanceOf(ConditionFailedException.class);
    assertThat(content("m")).isEqualTo(bytes("2"));
  }

  @Test
  void exactlyOneOfRacingCreatorsWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> writers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] content = bytes("writer " + i);
        writers.add(() -> {
          try {
            blobs.write("raced", content, Condition.ABSENT, null);
            return true;
          } catch (ConditionFailedException lost) {
            return false;
          }
        });
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

  @Test
  void stagedBlocksAreInvisibleUntilCommittedAndACommitExtends() throws Exception {
    blobs.stageBlock("b", "AAAA", bytes("one-"), 4);
    assertThat(blobs.read("b")).isEmpty();
    assertThat(blobs.list("")).isEmpty();
    blobs.commitBlocks("b", List.of("AAAA"), Condition.NONE);
    assertThat(content("b")).isEqualTo(bytes("one-"));
    blobs.stageBlock("b", "AAAB", bytes("two-xx"), 4);
    assertThat(content("b")).isEqualTo(bytes("one-"));
    blobs.commitBlocks("b", List.of("AAAA", "AAAB"), Condition.NONE);
    assertThat(content("b")).isEqualTo(bytes("one-two-"));
  }

  @Test
  void aCommitOfBlocksCanBeACreate() throws Exception {
    blobs.write("c", bytes("first"), Condition.NONE, null);
    blobs.stageBlock("c", "AAAA", bytes("second"), 6);
    assertThatThrownBy(() -> blobs.commitBlocks("c", List.of("AAAA"), Condition.ABSENT))
        .isInstanceOf(ConditionFailedException.class);
    assertThat(content("c")).isEqualTo(bytes("first"));
    blobs.stageBlock("d", "AAAA", bytes("new"), 3);
    blobs.commitBlocks("d", List.of("AAAA"), Condition.ABSENT);
    assertThat(content("d")).isEqualTo(bytes("new"));
  }

  @Test
  void listsNamesUnderAPrefixInOrderWithSizeAndTime() throws Exception {
    blobs.write("s/2.json", bytes("2"), Condition.NONE, null);
    blobs.write("s/1.json", bytes("1"), Condition.NONE, null);
    blobs.write("s/sub/3.json", bytes("33"), Condition.NONE, null);
    blobs.write("t/4.json", bytes("4"), Condition.NONE, null);
    List<BlobInfo> listed = blobs.list("s/");
    assertThat(listed).extracting(BlobInfo::name)
        .containsExactly("s/1.json", "s/2.json", "s/sub/3.json");
    assertThat(listed).extracting(BlobInfo::size).containsExactly(1L, 1L, 2L);
    assertThat(listed).allSatisfy(blob -> assertThat(blob.lastModified())
        .isBetween(clock.instant().minusSeconds(600), Instant.now().plusSeconds(600)));
    assertThat(listed).noneMatch(BlobInfo::leased);
    assertThat(blobs.list("none/")).isEmpty();
  }

  @Test
  void deletingRemovesOnceAndMissingIsNoError() throws Exception {
    blobs.write("gone", bytes("x"), Condition.NONE, null);
    assertThat(blobs.delete("gone")).isTrue();
    assertThat(blobs.delete("gone")).isFalse();
    assertThat(blobs.read("gone")).isEmpty();
    assertThat(blobs.list("gone")).isEmpty();
    blobs.write("gone", bytes("again"), Condition.ABSENT, null);
    assertThat(content("gone")).as("a deleted name can be created again").isEqualTo(bytes("again"));
  }

  @Test
  void aLeaseHasOneHolderWhoAloneMayWrite() throws Exception {
    blobs.write("l", bytes("1"), Condition.NONE, null);
    String lease = blobs.acquireLease("l", LEASE);
    assertThatThrownBy(() -> blobs.acquireLease("l", LEASE)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> blobs.write("l", bytes("x"), Condition.NONE, null))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> blobs.delete("l")).isInstanceOf(LeaseLostException.class);
    blobs.write("l", bytes("2"), Condition.NONE, lease);
    blobs.renewLease("l", lease);
    assertThat(blobs.list("l")).extracting(BlobInfo::leased).containsExactly(true);
    assertThat(content("l")).as("the lease survives writes").isEqualTo(bytes("2"));

    blobs.releaseLease("l", lease);
    assertThat(blobs.list("l")).extracting(BlobInfo::leased).containsExactly(false);
    assertThatThrownBy(() -> blobs.write("l", bytes("3"), Condition.NONE, lease))
        .as("a released lease id").isInstanceOf(LeaseLostException.class);
    blobs.releaseLease("l", lease); // already given up: no error
    String next = blobs.acquireLease("l", LEASE);
    assertThatThrownBy(() -> blobs.renewLease("l", lease)).isInstanceOf(LeaseLostException.class);
    blobs.releaseLease("l", next);
  }

  @Test
  void aLeaseTakenOnTheVersionReadLeavesThatVersionAndIsRefusedOnAnother() throws Exception {
    String read = blobs.write("l", bytes("1"), Condition.NONE, null);
    String lease = blobs.acquireLease("l", LEASE, Condition.matching(read));
    assertThat(blobs.read("l")).map(Blobs.Blob::etag).as("taking a lease changes no version").contains(read);
    String written = blobs.write("l", bytes("2"), Condition.matching(read), lease);
    blobs.releaseLease("l", lease);
    assertThat(blobs.read("l")).map(Blobs.Blob::etag).as("nor does giving it up").contains(written);

    assertThatThrownBy(() -> blobs.acquireLease("l", LEASE, Condition.matching(read)))
        .as("the version read is gone").isInstanceOf(ConditionFailedException.class);
    assertThat(blobs.list("l")).extracting(BlobInfo::leased).containsExactly(false);
    String held = blobs.acquireLease("l", LEASE, Condition.matching(written));
    assertThatThrownBy(() -> blobs.acquireLease("l", LEASE, Condition.matching(written)))
        .as("the version matches, the lease is held").isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> blobs.write("l", bytes("3"), Condition.matching(written), null))
        .as("a conditional put without the lease").isInstanceOf(LeaseLostException.class);
    blobs.releaseLease("l", held);
    assertThatThrownBy(() -> blobs.acquireLease("l", LEASE, Condition.ABSENT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyAnExistingBlobCanBeLeased() {
    assertThatThrownBy(() -> blobs.acquireLease("nothing-here", LEASE))
        .isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void aLapsedLeaseCanBeTakenAndItsHolderThenNoLongerWrites() throws Exception {
    if (!leasesFollowTheManualClock()) {
      return; // a service's leases lapse on its own clock, after 15 seconds at the least
    }
    blobs.write("l", bytes("1"), Condition.NONE, null);
    String first = blobs.acquireLease("l", LEASE);
    clock.advance(LEASE.plusSeconds(1));
    assertThat(blobs.list("l")).extracting(BlobInfo::leased).containsExactly(false);
    blobs.renewLease("l", first); // nobody took it meanwhile
    clock.advance(LEASE.plusSeconds(1));
    String second = blobs.acquireLease("l", LEASE);
    assertThatThrownBy(() -> blobs.write("l", bytes("x"), Condition.NONE, first))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> blobs.renewLease("l", first)).isInstanceOf(LeaseLostException.class);
    blobs.write("l", bytes("2"), Condition.NONE, second);

    // renewable "as long as the blob hasn't been modified" (Lease Blob) since it lapsed
    clock.advance(LEASE.plusSeconds(1));
    blobs.write("l", bytes("3"), Condition.NONE, null);
    assertThatThrownBy(() -> blobs.renewLease("l", second)).isInstanceOf(LeaseLostException.class);
  }
}
