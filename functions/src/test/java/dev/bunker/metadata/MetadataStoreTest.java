package dev.bunker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetadataStoreTest {

  private static final Instant T1 = Instant.parse("2026-03-01T01:00:00Z");
  private static final Instant T2 = Instant.parse("2026-03-02T01:00:00Z");

  private final InMemoryBlobs blobs = TestBlobs.inMemory();
  private final MetadataStore store = new MetadataStore(blobs);

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private SnapshotWriter begin(String snapshotId, Instant at) {
    return store.begin("org1", "proj1", "Web", snapshotId, at, store.latest("org1", "proj1"));
  }

  @Test
  void unchangedDocumentsCostNothingInTheNextSnapshot() {
    SnapshotWriter first = begin("20260301T010000Z-00000001", T1);
    first.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1,\"rev\":1}"));
    first.put(MetadataKind.WORK_ITEM, "2", json("{\"id\":2,\"rev\":1}"));
    first.put(MetadataKind.BUILD_DEFINITION, "7", json("{\"id\":7}"));
    MetadataSnapshot one = first.commit();
    assertThat(one.stats().objectsWritten()).isEqualTo(3);
    int writesAfterFirst = TestBlobs.count(blobs);

    SnapshotWriter second = begin("20260302T010000Z-00000002", T2);
    assertThat(second.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1,\"rev\":1}"))).isFalse();
    assertThat(second.put(MetadataKind.WORK_ITEM, "2", json("{\"id\":2,\"rev\":2}"))).isTrue();
    assertThat(second.keep(MetadataKind.BUILD_DEFINITION, "7")).isTrue();
    MetadataSnapshot two = second.commit();

    assertThat(two.stats().objectsWritten()).isEqualTo(1);
    assertThat(two.stats().indexObjectsWritten()).as("the work items' index chunk").isEqualTo(1);
    assertThat(TestBlobs.count(blobs) - writesAfterFirst).as("the changed document, its index chunk and the manifest")
        .isEqualTo(3);
    assertThat(two.counts()).containsEntry("workItem", 2).containsEntry("buildDefinition", 1);
    assertThat(two.hash(MetadataKind.BUILD_DEFINITION, "7")).isEqualTo(one.hash(MetadataKind.BUILD_DEFINITION, "7"));
    assertThat(new String(store.object("org1", two.hash(MetadataKind.WORK_ITEM, "2").orElseThrow()),
        StandardCharsets.UTF_8)).isEqualTo("{\"id\":2,\"rev\":2}");
    assertThat(store.snapshotIds("org1", "proj1"))
        .containsExactly("20260301T010000Z-00000001", "20260302T010000Z-00000002");
    assertThat(store.latest("org1", "proj1")).contains(two);
  }

  @Test
  void aLargeProjectKeepsASmallManifestAndAFewChangesTouchAFewChunks() {
    SnapshotWriter first = begin("20260301T010000Z-00000001", T1);
    for (int id = 1; id <= 20_000; id++) {
      first.put(MetadataKind.WORK_ITEM, Integer.toString(id), json("{\"id\":" + id + "}"));
    }
    MetadataSnapshot one = first.commit();
    assertThat(one.stats().manifestBytes()).as("manifest of 20,000 entries").isLessThan(12_000);
    assertThat(one.index().get("workItem")).hasSizeBetween(20_000 / (4 * SnapshotIndex.CHUNK_TARGET), 200);

    SnapshotWriter second = begin("20260302T010000Z-00000002", T2);
    for (int id = 1; id <= 20_003; id++) {
      String text = id == 500 || id == 15_000 ? "{\"id\":" + id + ",\"changed\":true}" : "{\"id\":" + id + "}";
      second.put(MetadataKind.WORK_ITEM, Integer.toString(id), json(text));
    }
    MetadataSnapshot two = second.commit();
    assertThat(two.stats().objectsWritten()).isEqualTo(5);
    assertThat(two.stats().indexObjectsWritten()).as("two changed, three added").isBetween(1L, 5L);
    assertThat(store.latest("org1", "proj1").orElseThrow().entries()).isEqualTo(two.entries());
  }

  @Test
  void identicalContentIsStoredOnceWhateverRefersToIt() {
    SnapshotWriter writer = begin("20260301T010000Z-00000001", T1);
    byte[] logo = new byte[10_000];
    writer.put(MetadataKind.ATTACHMENT, "a-1", logo);
    writer.put(MetadataKind.ATTACHMENT, "a-2", logo);
    MetadataSnapshot snapshot = writer.commit();
    assertThat(snapshot.stats().objectsWritten()).isEqualTo(1);
    assertThat(snapshot.hash(MetadataKind.ATTACHMENT, "a-1")).isEqualTo(snapshot.hash(MetadataKind.ATTACHMENT, "a-2"));

    SnapshotWriter otherProject = store.begin("org1", "proj2", "Api", "20260301T010000Z-00000001", T1,
        Optional.empty());
    otherProject.put(MetadataKind.ATTACHMENT, "b-9", logo);
    assertThat(otherProject.commit().stats().objectsWritten()).as("already stored by another project").isZero();
  }

  @Test
  void keepingWhatThePreviousSnapshotLacksRecordsNothing() {
    SnapshotWriter writer = begin("20260301T010000Z-00000001", T1);
    assertThat(writer.keep(MetadataKind.WORK_ITEM_COMMENTS, "1")).isFalse();
    assertThat(writer.commit().entries()).isEmpty();
  }

  @Test
  void whatCouldNotBeBackedUpIsListedWithTheReason() {
    SnapshotWriter writer = begin("20260301T010000Z-00000001", T1);
    writer.omit("variableGroupSecret", "3/password", "secret values cannot be read");
    writer.omit("variableGroupSecret", "1/token", "secret values cannot be read");
    MetadataSnapshot snapshot = writer.commit();
    assertThat(snapshot.notBackedUp()).extracting(Omission::id).containsExactly("1/token", "3/password");
    assertThat(store.latest("org1", "proj1").orElseThrow().notBackedUp()).isEqualTo(snapshot.notBackedUp());
  }

  @Test
  void aCrashBeforeTheManifestLeavesThePreviousSnapshotTheLatest() {
    SnapshotWriter first = begin("20260301T010000Z-00000001", T1);
    first.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1}"));
    MetadataSnapshot one = first.commit();

    AtomicInteger writes = new AtomicInteger();
    MetadataStore crashing = new MetadataStore(TestBlobs.around(blobs, (method, args) -> {
      if (method.equals("write") && writes.incrementAndGet() == 2) {
        throw new IOException("injected crash writing " + args[0]);
      }
    }));
    SnapshotWriter second = crashing.begin("org1", "proj1", "Web", "20260302T010000Z-00000002", T2,
        Optional.of(one));
    second.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1,\"changed\":true}"));
    assertThatThrownBy(() -> second.put(MetadataKind.WORK_ITEM, "2", json("{\"id\":2}")))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("injected crash");

    assertThat(store.latest("org1", "proj1")).contains(one);
    assertThat(store.object("org1", one.hash(MetadataKind.WORK_ITEM, "1").orElseThrow()))
        .isEqualTo(json("{\"id\":1}"));
  }

  @Test
  void aRedeliveredSnapshotKeepsWhatWasCommittedFirst() {
    SnapshotWriter first = begin("20260301T010000Z-00000001", T1);
    first.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1}"));
    MetadataSnapshot committed = first.commit();
    SnapshotWriter again = store.begin("org1", "proj1", "Web", "20260301T010000Z-00000001", T1,
        Optional.empty());
    again.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1,\"other\":true}"));
    assertThat(again.commit()).isEqualTo(committed);
  }

  @Test
  void aMissingObjectIsReportedByName() {
    SnapshotWriter writer = begin("20260301T010000Z-00000001", T1);
    writer.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1}"));
    MetadataSnapshot snapshot = writer.commit();
    String hash = snapshot.hash(MetadataKind.WORK_ITEM, "1").orElseThrow();
    assertThatThrownBy(() -> store.object("org1", hash.replace(hash.charAt(0), hash.charAt(0) == 'a' ? 'b' : 'a')))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing");
  }

  @Test
  void garbageCollectionDeletesWhatNoSnapshotNeedsOnceItIsOldEnough() {
    ManualClock clock = new ManualClock(T1);
    InMemoryBlobs timed = new InMemoryBlobs(clock);
    MetadataStore gc = new MetadataStore(timed);
    SnapshotWriter first = gc.begin("org1", "proj1", "Web", "20260301T010000Z-00000001", T1, Optional.empty());
    first.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1}"));
    first.put(MetadataKind.WORK_ITEM, "2", json("{\"id\":2}"));
    MetadataSnapshot one = first.commit();
    clock.advance(Duration.ofDays(1));
    SnapshotWriter second = gc.begin("org1", "proj1", "Web", "20260302T010000Z-00000002", T2, Optional.of(one));
    second.put(MetadataKind.WORK_ITEM, "1", json("{\"id\":1}"));
    second.put(MetadataKind.WORK_ITEM, "2", json("{\"id\":2,\"rev\":2}"));
    MetadataSnapshot two = second.commit();
    // A backup in progress: its object is written, its manifest not yet.
    gc.begin("org1", "proj1", "Web", "20260303T010000Z-00000003", T2, Optional.of(two))
        .put(MetadataKind.WORK_ITEM, "3", json("{\"id\":3}"));

    assertThat(gc.forget("org1", "proj1", one.snapshotId())).isTrue();
    MetadataStore.Collected collected = gc.collectGarbage("org1", clock.instant().minus(Duration.ofHours(1)));

    assertThat(collected.snapshots()).isEqualTo(1);
    assertThat(collected.deleted()).as("work item 2's old version and the old index chunk").isEqualTo(2);
    assertThat(gc.latest("org1", "proj1")).contains(two);
    two.entries().values()
        .forEach(byId -> byId.values().forEach(hash -> assertThat(gc.object("org1", hash)).isNotNull()));
    assertThat(timed.list("orgs/org1/meta/objects/")).as("two documents, one chunk, the running backup's object")
        .hasSize(4);
  }

  @Test
  void namesThatWouldEscapeTheOrganizationPrefixAreRefused() {
    assertThatThrownBy(() -> store.begin("org1", "../org2", "Web", "s1", T1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project id");
  }
}
