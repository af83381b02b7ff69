package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.testing.FaultyBlobs;
import dev.bunker.store.testing.Git;
import dev.bunker.store.testing.GitFilesServer;
import dev.bunker.store.testing.GitHttpServer;
import dev.bunker.store.testing.OpenedStores;
import dev.bunker.store.testing.SourceRepository;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.SyntheticHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store must do, run against each {@link Blobs} implementation. Sources are real git
 * repositories made by CGit and served by CGit's smart-HTTP backend; results are checked with
 * CGit too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GitStoreContract {
  static final Instant START = Instant.parse("2026-03-01T01:00:00Z");

  /** Served repositories (sources and push targets), shared by the tests of a class. */
  Path root;
  GitHttpServer server;
  ManualClock clock;
  Blobs blobs;
  GitStore store;
  BackupRepository repository;

  /** Fresh, empty blobs for one test. */
  abstract Blobs newBlobs(ManualClock clock);

  /** Where the store clock starts; storage that stamps blobs with its own clock needs now. */
  Instant start() {
    return START;
  }

  @BeforeAll
  void startServer(@TempDir Path served) {
    root = served;
    server = GitHttpServer.serving(served);
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @RegisterExtension
  final OpenedStores opened = new OpenedStores();

  GitStore open(Blobs on) {
    return opened.add(GitStore.on(on, clock, GitStore.Options.defaults()));
  }

  @BeforeEach
  void newStore() {
    clock = new ManualClock(start());
    blobs = newBlobs(clock);
    store = open(blobs);
    repository = store.repository("orgs/o1/repos/" + UUID.randomUUID());
  }

  SourceRepository typical(int pullRefs) {
    return SourceRepository.typical(root, "src-" + UUID.randomUUID(), pullRefs);
  }

  GitSource source(SourceRepository repo) {
    return GitSource.anonymous(server.url(repo.name()));
  }

  SnapshotId nextId(String run) {
    clock.advance(Duration.ofHours(1));
    return SnapshotId.of(clock.instant(), run);
  }

  Path cloneBundle(SnapshotId id) throws IOException {
    Path bundle = Files.createTempFile(root, "snapshot", ".bundle");
    try (OutputStream out = Files.newOutputStream(bundle)) {
      repository.writeBundle(id, out);
    }
    return cloneAndVerify(bundle);
  }

  /** Clones the bundle storage would put together: the header, then the stored pack's bytes. */
  Path cloneStoredBundle(StoredBundle stored) throws IOException {
    Path bundle = Files.createTempFile(root, "stored", ".bundle");
    byte[] pack = blobs.read(stored.packBlob()).orElseThrow().data();
    assertThat((long) pack.length).isEqualTo(stored.packBytes());
    try (OutputStream out = Files.newOutputStream(bundle)) {
      out.write(stored.header());
      out.write(pack);
    }
    return cloneAndVerify(bundle);
  }

  private Path cloneAndVerify(Path bundle) throws IOException {
    Path clone = root.resolve("clone-" + UUID.randomUUID());
    Git.run(root, "clone", "-q", "--mirror", bundle.toString(), clone.toString());
    Git.run(clone, "bundle", "verify", "--quiet", bundle.toString()); // git needs a repository to verify in
    Git.fsck(clone);
    return clone;
  }

  private static Map<String, String> withoutHead(Map<String, String> refs) {
    Map<String, String> copy = new TreeMap<>(refs);
    copy.remove("HEAD");
    return copy;
  }

  @Test
  void recordsEveryRefOfTheSourceInTheSnapshot() {
    SourceRepository source = typical(25);
    SnapshotId id = nextId("run1");

    Snapshot snapshot = repository.backup(id, source(source));

    assertThat(snapshot.id()).isEqualTo(id);
    assertThat(snapshot.refs()).isEqualTo(source.refs());
    assertThat(snapshot.refCount()).isEqualTo(source.refs().size());
    assertThat(snapshot.headRef()).isEqualTo("refs/heads/main");
    assertThat(snapshot.head()).contains(source.head());
    assertThat(snapshot.objectsAdded()).isPositive();
    assertThat(snapshot.bytesAdded()).isPositive();
    assertThat(snapshot.created()).isEqualTo(clock.instant());
    assertThat(repository.snapshot(id)).contains(snapshot);
  }

  @Test
  void lfsPointersAreFoundInWhatEachSnapshotBrought() {
    SourceRepository source = typical(3);
    String first = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a".repeat(64) + "\nsize 12\n";
    source.commit("main", "big.bin", first).publish();
    SnapshotId one = nextId("run1");
    repository.backup(one, source(source));
    source.commit("main", "bigger.bin", first.replace("a".repeat(64), "b".repeat(64))).publish();
    SnapshotId two = nextId("run2");
    repository.backup(two, source(source));

    assertThat(repository.lfsPointers(one, Optional.empty())).containsExactly(new LfsPointer("a".repeat(64), 12));
    assertThat(repository.lfsPointers(two, Optional.of(one))).containsExactly(new LfsPointer("b".repeat(64), 12));
    assertThat(repository.lfsPointers(two, Optional.empty())).hasSize(2);
  }

  static String pointerFile(LfsPointer pointer) {
    return "version https://git-lfs.github.com/spec/v1\noid sha256:" + pointer.oid() + "\nsize " + pointer.size()
        + "\n";
  }

  @Test
  void aFirstBackupFindsLfsPointersAtEveryDepthInThePackItFetchedWithoutReadingAnythingBack() {
    SourceRepository source = typical(0);
    Set<LfsPointer> expected = new HashSet<>();
    for (int i = 1; i <= 12; i++) {
      LfsPointer pointer = new LfsPointer(String.format("%064x", i), 1000 + i);
      expected.add(pointer);
      source.commit("main", "assets/model.bin", pointerFile(pointer));
      source.commit("main", "src/file" + i + ".txt", "plain text " + i + "\n");
    }
    LfsPointer side = new LfsPointer("f".repeat(64), 7);
    expected.add(side);
    source.commit("side", "side.bin", pointerFile(side)).publish();
    // one pack with deltas, as a served repository has: most versions of model.bin arrive as deltas
    Git.run(source.bare(), "repack", "-q", "-a", "-d", "-f", "--window=50");
    Map<String, Integer> calls = new TreeMap<>();
    BackupRepository counted = countedInAnotherProcess(calls);
    SnapshotId id = nextId("run1");
    counted.backup(id, source(source));
    calls.clear();

    Set<LfsPointer> found = counted.lfsPointers(id, Optional.empty());

    assertThat(found).isEqualTo(expected);
    // before: the manifest, the reftable, the pack index and the pack read back to walk every tree
    assertThat(calls).isEmpty();
    // a process that did not make the backup walks the snapshot's objects and finds the same
    assertThat(repository.lfsPointers(id, Optional.empty())).isEqualTo(expected);
  }

  @Test
  void aBranchRestoredAfterItsDeletionBringsItsLfsPointersAgain() {
    SourceRepository source = typical(0);
    LfsPointer restored = new LfsPointer("c".repeat(64), 5);
    source.commit("feature", "asset.bin", pointerFile(restored)).publish();
    String feature = source.refs().get("refs/heads/feature");
    repository.backup(nextId("run1"), source(source));
    source.deleteBranch("feature").publish();
    SnapshotId deleted = nextId("run2");
    repository.backup(deleted, source(source));

    // the store holds every object of the restored branch: nothing is fetched, the new ref is walked
    source.branch("feature", feature).publish();
    SnapshotId alone = nextId("run3");
    repository.backup(alone, source(source));
    assertThat(repository.lfsPointers(alone, Optional.of(deleted))).containsExactly(restored);

    // restored with a change elsewhere: the source, told only what the live refs reach, sends the
    // branch's objects again, and the fetch finds its pointer among them
    source.deleteBranch("feature").publish();
    SnapshotId deletedAgain = nextId("run4");
    repository.backup(deletedAgain, source(source));
    LfsPointer added = new LfsPointer("d".repeat(64), 6);
    source.branch("feature", feature).commit("main", "new.bin", pointerFile(added)).publish();
    Map<String, Integer> calls = new TreeMap<>();
    BackupRepository counted = countedInAnotherProcess(calls);
    SnapshotId withChange = nextId("run5");
    counted.backup(withChange, source(source));
    calls.clear();

    assertThat(counted.lfsPointers(withChange, Optional.of(deletedAgain))).containsExactlyInAnyOrder(restored, added);
    assertThat(calls).isEmpty();
    assertThat(repository.lfsPointers(withChange, Optional.of(deletedAgain)))
        .containsExactlyInAnyOrder(restored, added);
  }

  @Test
  void aSnapshotSaysItReachesNoLfsPointerWhereItsBackupCanTell() {
    SourceRepository source = typical(3);
    List<Boolean> said = new ArrayList<>();
    said.add(repository.backup(nextId("run1"), source(source)).lfsFree()); // every object received
    said.add(repository.backup(nextId("run2"), source(source)).lfsFree()); // nothing changed
    source.commit("main", "NOTES.md", "plain text\n").publish();
    said.add(repository.backup(nextId("run3"), source(source)).lfsFree()); // its new objects received
    source.deleteBranch("release/1.x").publish();
    said.add(repository.backup(nextId("run4"), source(source)).lfsFree()); // reaches less
    source.commit("main", "big.bin", pointerFile(new LfsPointer("a".repeat(64), 12))).publish();
    said.add(repository.backup(nextId("run5"), source(source)).lfsFree());
    source.commit("main", "MORE.md", "more plain text\n").publish();
    said.add(repository.backup(nextId("run6"), source(source)).lfsFree()); // still reaches the pointer

    assertThat(said).containsExactly(true, true, true, true, false, false);
    assertThat(repository.snapshots()).extracting(Snapshot::lfsFree).isEqualTo(said);
  }

  @Test
  void aSnapshotWhoseNewObjectsItsBackupDidNotSeeIsLfsFreeOnceRecordedSoAndTellsTheNext() throws IOException {
    SourceRepository source = typical(0);
    String feature = source.refs().get("refs/heads/feature");
    repository.backup(nextId("run1"), source(source));
    source.deleteBranch("feature").publish();
    assertThat(repository.backup(nextId("run2"), source(source)).lfsFree()).as("reaches less").isTrue();
    // the store holds every object of the branch restored, which no live ref reaches: nothing
    // fetched, nothing seen
    source.branch("feature", feature).publish();
    SnapshotId restored = nextId("run3");
    Snapshot unseen = repository.backup(restored, source(source));
    assertThat(unseen.objectsAdded()).isZero();
    assertThat(unseen.lfsFree()).isFalse();

    // while another writer holds the lease, nothing is recorded
    String leaseId = blobs.acquireLease(repository.key() + "/manifest.json", Duration.ofSeconds(15));
    try {
      assertThat(repository.recordLfsFree(restored, unseen.created())).isFalse();
    } finally {
      blobs.releaseLease(repository.key() + "/manifest.json", leaseId);
    }
    assertThat(repository.snapshot(restored)).hasValueSatisfying(s -> assertThat(s.lfsFree()).isFalse());
    assertThat(repository.recordLfsFree(SnapshotId.of(clock.instant(), "never"), clock.instant()))
        .as("no such snapshot").isFalse();
    assertThat(repository.recordLfsFree(restored, unseen.created().minusSeconds(1)))
        .as("not the snapshot recorded under that id").isFalse();
    assertThat(repository.snapshot(restored)).hasValueSatisfying(s -> assertThat(s.lfsFree()).isFalse());

    assertThat(repository.recordLfsFree(restored, unseen.created())).isTrue();
    assertThat(repository.recordLfsFree(restored, unseen.created())).as("recorded already").isTrue();
    assertThat(repository.snapshot(restored)).hasValueSatisfying(s -> assertThat(s.lfsFree()).isTrue());
    assertThat(repository.snapshot(restored).orElseThrow().refs()).isEqualTo(source.refs());
    source.commit("main", "NOTES.md", "plain text\n").publish();
    assertThat(repository.backup(nextId("run4"), source(source)).lfsFree()).as("told by the one before").isTrue();
  }

  /** Backs up {@code source}, then again with a branch added whose commit holds {@code pointer}: both ids. */
  private List<SnapshotId> backUpThenWithAPointerBranch(SourceRepository source, LfsPointer pointer) {
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    source.branch("assets", "main").commit("assets", "model.bin", pointerFile(pointer)).publish();
    SnapshotId withPointer = nextId("run2");
    repository.backup(withPointer, source(source));
    return List.of(first, withPointer);
  }

  @Test
  void aSnapshotWhoseLiveRefsCameFromADeletedSnapshotIsNotLfsFree() {
    SourceRepository source = typical(0);
    LfsPointer pointer = new LfsPointer("b".repeat(64), 21);
    List<SnapshotId> made = backUpThenWithAPointerBranch(source, pointer);
    SnapshotId first = made.get(0);
    repository.deleteSnapshots(List.of(made.get(1)));
    source.commit("main", "NOTES.md", "plain text\n").publish();

    // the previous snapshot is the first, but the source was told of the live refs, which reach the pointer
    SnapshotId third = nextId("run3");
    assertThat(repository.backup(third, source(source)).lfsFree()).isFalse();
    assertThat(repository.lfsPointers(third, Optional.of(first))).containsExactly(pointer);
  }

  @Test
  void aBranchRestoredWithAChangeElsewhereAfterAnLfsFreeSnapshotBringsItsPointerAgain() {
    SourceRepository source = typical(0);
    LfsPointer pointer = new LfsPointer("e".repeat(64), 24);
    backUpThenWithAPointerBranch(source, pointer);
    String assets = source.refs().get("refs/heads/assets");
    source.deleteBranch("assets").publish();
    Snapshot deleted = repository.backup(nextId("run3"), source(source));
    assertThat(repository.recordLfsFree(deleted.id(), deleted.created())).isTrue();
    source.branch("assets", assets).commit("main", "NOTES.md", "plain text\n").publish();

    // the source, told only what the live refs reach, sends the branch's objects again
    SnapshotId restored = nextId("run4");
    assertThat(repository.backup(restored, source(source)).lfsFree()).isFalse();
    assertThat(repository.lfsPointers(restored, Optional.of(deleted.id()))).containsExactly(pointer);
  }

  @Test
  void aSnapshotRecordedAgainUnderItsIdIsNotAnsweredWithWhatTheEarlierRecordsFetchFound() {
    SourceRepository source = typical(0);
    LfsPointer pointer = new LfsPointer("f".repeat(64), 25);
    List<SnapshotId> made = backUpThenWithAPointerBranch(source, pointer);
    // the second snapshot's LFS step never asked; it is forgotten, and its run's backup comes again
    repository.deleteSnapshots(List.of(made.get(1)));
    source.deleteBranch("assets").publish();
    repository.backup(made.get(1), source(source));

    assertThat(repository.lfsPointers(made.get(1), Optional.of(made.get(0)))).isEmpty();
  }

  @Test
  void aLateBackupRecordedBeforeTheNewestSnapshotIsNotLfsFreeWhenTheLiveRefsReachMore() {
    SourceRepository source = typical(0);
    LfsPointer pointer = new LfsPointer("c".repeat(64), 22);
    SnapshotId first = backUpThenWithAPointerBranch(source, pointer).get(0);
    source.commit("main", "NOTES.md", "plain text\n").publish();

    // a redelivered message of a run between the two: its previous snapshot is the first
    SnapshotId late = SnapshotId.of(first.time().plus(Duration.ofMinutes(30)), "late");
    assertThat(repository.backup(late, source(source)).lfsFree()).isFalse();
    assertThat(repository.lfsPointers(late, Optional.of(first))).containsExactly(pointer);
  }

  @Test
  void aDumbHttpFetchTellsNothingOfObjectsTheStoreHeldAlready() {
    SourceRepository source = typical(0);
    LfsPointer pointer = new LfsPointer("d".repeat(64), 23);
    source.branch("assets", "main").commit("assets", "model.bin", pointerFile(pointer)).publish();
    String assets = source.refs().get("refs/heads/assets");
    repository.backup(nextId("run1"), source(source));
    source.deleteBranch("assets").publish();
    Snapshot deleted = repository.backup(nextId("run2"), source(source));
    assertThat(repository.recordLfsFree(deleted.id(), deleted.created())).as("it reaches no pointer").isTrue();
    // a new commit, packed with every object main reaches; the pointer's blob stays outside that pack
    source.commit("main", "NOTES.md", "plain text\n").publish();
    Git.run(source.bare(), "repack", "-q", "-a", "-d");
    Git.run(source.bare(), "update-ref", "refs/heads/assets", assets);

    SnapshotId restored = nextId("run3");
    try (GitFilesServer files = GitFilesServer.serving(source.bare())) {
      // the store holds the branch's objects (no live ref reaches them): the fetch takes only the pack
      assertThat(repository.backup(restored, GitSource.anonymous(files.url())).lfsFree()).isFalse();
    }
    assertThat(repository.lfsPointers(restored, Optional.of(deleted.id()))).containsExactly(pointer);
  }

  @Test
  void aSnapshotRecordedBeforeStoresSaidSoIsNotLfsFreeNorAreTheUnchangedOnesAfterIt() throws IOException {
    SourceRepository source = typical(0);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    String manifest = repository.key() + "/manifest.json";
    String json = new String(blobs.read(manifest).orElseThrow().data(), StandardCharsets.UTF_8);
    assertThat(json).containsPattern("\"lfsFree\" *: *true");
    blobs.write(manifest, json.replaceAll(",\\s*\"lfsFree\" *: *true", "").getBytes(StandardCharsets.UTF_8),
        Blobs.Condition.NONE, null);

    assertThat(repository.snapshots()).extracting(Snapshot::lfsFree).containsExactly(false);
    assertThat(repository.backup(nextId("run2"), source(source)).lfsFree()).isFalse();
  }

  @Test
  void pointersAmongObjectsASourceServesOneByOneAreFoundByAWalk() {
    SourceRepository source = typical(0);
    Git.run(source.bare(), "repack", "-q", "-a", "-d");
    LfsPointer pointer = new LfsPointer("9".repeat(64), 33);
    // pushed after the repack: kept as loose objects, which a dumb-HTTP fetch takes one by one
    source.commit("main", "model.bin", pointerFile(pointer)).publish();
    SnapshotId id = nextId("run1");
    try (GitFilesServer files = GitFilesServer.serving(source.bare())) {
      Snapshot made = repository.backup(id, GitSource.anonymous(files.url()));

      assertThat(made.lfsFree()).isFalse();
      assertThat(made.refs()).isEqualTo(source.refs());
    }
    assertThat(repository.lfsPointers(id, Optional.empty())).containsExactly(pointer);
  }

  @Test
  void aRetriedBackupFindsTheLfsPointersOfObjectsAnInterruptedAttemptStored() {
    SourceRepository source = typical(0);
    LfsPointer pointer = new LfsPointer("e".repeat(64), 9);
    source.commit("main", "asset.bin", pointerFile(pointer)).publish();
    SnapshotId id = nextId("run1");
    // the pack is committed, then the attempt dies before its refs are
    FaultyBlobs interrupted = FaultyBlobs.around(blobs).beforeManifestWrite(2, leaseId -> {
      throw new IOException("interrupted");
    });
    assertThatThrownBy(() -> GitStore.on(interrupted, clock, GitStore.Options.defaults())
        .repository(repository.key()).backup(id, source(source))).isInstanceOf(StoreException.class);

    // the store holds every object asked for: nothing is fetched, so the new refs are walked
    Snapshot retried = repository.backup(id, source(source));

    assertThat(retried.objectsAdded()).isZero();
    assertThat(repository.lfsPointers(id, Optional.empty())).containsExactly(pointer);
  }

  @Test
  void bundleClonesWithGitToExactlyTheSnapshotRefs() throws IOException {
    SourceRepository source = typical(10);
    SnapshotId id = nextId("run1");
    Snapshot snapshot = repository.backup(id, source(source));

    Path clone = cloneBundle(id);

    assertThat(Git.refs(clone)).isEqualTo(snapshot.refs());
    assertThat(Git.run(clone, "symbolic-ref", "HEAD").trim()).isEqualTo("refs/heads/main");
  }

  @Test
  void aSnapshotsStoredBytesAreThePacksItsBundleIsCopiedFrom() throws IOException {
    SourceRepository source = typical(10);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    long one = repository.storedBytes(first).orElseThrow();
    source.commit("main", "later.txt", "later\n").publish();
    SnapshotId second = nextId("run2");
    repository.backup(second, source(source));
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    BundleReport report = repository.writeBundle(second, bundle);

    long two = repository.storedBytes(second).orElseThrow();
    assertThat(two).isGreaterThan(one);
    assertThat(repository.storedBytes(first)).as("snapshots share the live packs").hasValue(two);
    assertThat((long) bundle.size() - headerBytes(bundle.toByteArray())).as("the bundle's pack, %s", report)
        .isPositive().isLessThanOrEqualTo(two);
    assertThat(repository.storedBytes(nextId("never"))).isEmpty();
  }

  /** The length of a bundle's header: up to the blank line that ends it. */
  private static int headerBytes(byte[] bundle) {
    String text = new String(bundle, StandardCharsets.ISO_8859_1);
    return text.indexOf("\n\n") + 2;
  }

  @Test
  void aFirstSnapshotsBundleIsTheStoredPackAsItIsBehindTheSameHeader() throws IOException {
    SourceRepository source = typical(10);
    SnapshotId id = nextId("run1");
    Snapshot snapshot = repository.backup(id, source(source));
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    BundleReport report = repository.writeBundle(id, written);

    StoredBundle stored = repository.storedBundle(id).orElseThrow();

    byte[] bundle = written.toByteArray();
    assertThat(stored.header()).isEqualTo(Arrays.copyOf(bundle, headerBytes(bundle)));
    assertThat(stored.report().refs()).isEqualTo(report.refs());
    assertThat(stored.report().objects()).isEqualTo(report.objects()).isEqualTo(snapshot.objectsAdded());
    Path clone = cloneStoredBundle(stored);
    assertThat(Git.refs(clone)).isEqualTo(snapshot.refs());
    assertThat(Git.run(clone, "symbolic-ref", "HEAD").trim()).isEqualTo("refs/heads/main");
  }

  @Test
  void snapshotsThatFoundTheSourceUnchangedShareTheFirstSnapshotsStoredBundle() throws IOException {
    SourceRepository source = typical(5);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    SnapshotId second = nextId("run2");
    Snapshot unchanged = repository.backup(second, source(source));

    StoredBundle stored = repository.storedBundle(second).orElseThrow();

    assertThat(stored.packBlob()).isEqualTo(repository.storedBundle(first).orElseThrow().packBlob());
    assertThat(Git.refs(cloneStoredBundle(stored))).isEqualTo(unchanged.refs());
  }

  @Test
  void noStoredBundleOnceTheRefsChangedOrTheStoreHoldsMoreThanTheFirstPack() throws IOException {
    SourceRepository source = typical(5);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    source.deleteBranch("feature").publish();
    SnapshotId fewer = nextId("run2");
    repository.backup(fewer, source(source)); // no new objects: the pack holds the deleted branch's

    assertThat(repository.storedBundle(fewer)).as("refs changed, no new pack").isEmpty();
    assertThat(repository.storedBundle(first)).isPresent();

    source.commit("main", "later.txt", "later\n").publish();
    SnapshotId more = nextId("run3");
    repository.backup(more, source(source));

    assertThat(repository.storedBundle(more)).as("a second pack").isEmpty();
    assertThat(repository.storedBundle(first)).as("a second pack").isEmpty();

    repository.deleteSnapshots(List.of(fewer, more));
    repository.maintain(MaintenanceOptions.defaults());

    assertThat(repository.storedBundle(first)).as("the live refs (the source now) reach the later commit")
        .isEmpty();
    assertThatThrownBy(() -> repository.storedBundle(nextId("never")))
        .isInstanceOf(SnapshotNotFoundException.class);
  }

  @Test
  void maintenanceKeepsTheStoredBundleWhileEverySnapshotHasTheSameRefs() throws IOException {
    SourceRepository source = typical(5);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    SnapshotId second = nextId("run2");
    Snapshot unchanged = repository.backup(second, source(source));
    String received = repository.storedBundle(second).orElseThrow().packBlob();

    repository.maintain(MaintenanceOptions.defaults());

    StoredBundle repacked = repository.storedBundle(second).orElseThrow();
    assertThat(repacked.packBlob()).as("the GC pack").isNotEqualTo(received);
    assertThat(Git.refs(cloneStoredBundle(repacked))).isEqualTo(unchanged.refs());
    assertThat(repository.storedBundle(first)).isPresent();

    source.commit("main", "later.txt", "later\n").publish();
    SnapshotId third = nextId("run3");
    repository.backup(third, source(source));
    repository.maintain(MaintenanceOptions.defaults());

    assertThat(repository.storedBundle(third)).as("snapshots of other refs share the GC pack").isEmpty();
    assertThat(repository.storedBundle(first)).isEmpty();
  }

  @Test
  void aSnapshotRecordedAgainAfterItsDeletionDoesNotTakeThePackMarkedForIt() throws IOException {
    SourceRepository source = typical(5);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    repository.deleteSnapshots(List.of(first));
    source.deleteBranch("feature").publish();

    Snapshot again = repository.backup(first, source(source)); // a redelivery after retention forgot it

    assertThat(again.refs()).doesNotContainKey("refs/heads/feature");
    assertThat(repository.storedBundle(first)).as("the pack still holds the deleted branch").isEmpty();
    assertThat(Git.refs(cloneBundle(first))).isEqualTo(again.refs());
  }

  @Test
  void aBundleReusesTheStoredObjectsAndDeltasWithoutADeltaSearch() throws IOException {
    SourceRepository source = typical(10);
    SnapshotId first = nextId("run1");
    Snapshot one = repository.backup(first, source(source));
    source.commit("main", "later.txt", "later\n").publish();
    source.deleteBranch("feature").publish();
    SnapshotId second = nextId("run2");
    Snapshot two = repository.backup(second, source(source));

    BundleReport whole = repository.writeBundle(first, OutputStream.nullOutputStream());
    BundleReport spanning = repository.writeBundle(second, OutputStream.nullOutputStream());

    // the first snapshot is the first backup's pack: its objects go as stored (PackWriter may
    // still write one whole where its delta base order differs)
    assertThat(whole.refs()).isEqualTo(one.refCount() + 1);
    assertThat(whole.objects()).isEqualTo(one.objectsAdded());
    assertThat(whole.objectsDeltaSearched()).isZero();
    assertThat(whole.objectsReused()).isBetween(whole.objects() - 1, whole.objects());
    // the second spans both packs (and lacks the deleted branch)
    assertThat(spanning.refs()).isEqualTo(two.refCount() + 1);
    assertThat(spanning.objectsDeltaSearched()).isZero();
    // as stored, but for what was stored as a delta of an object the snapshot lacks (here one): it goes whole
    assertThat(spanning.objectsReused()).isBetween(spanning.objects() - 1, spanning.objects());
    assertThat(Git.refs(cloneBundle(first))).isEqualTo(one.refs());
    assertThat(Git.refs(cloneBundle(second))).isEqualTo(two.refs());
  }

  @Test
  void sameSnapshotIdTwiceReturnsTheFirstResultWithoutFetching() {
    SourceRepository source = typical(0);
    SnapshotId id = nextId("run1");
    Snapshot first = repository.backup(id, source(source));
    source.commit("main", "later.txt", "later\n").publish();
    int packs = packBlobs();

    Snapshot again = repository.backup(id, source(source));

    assertThat(again).isEqualTo(first);
    assertThat(packBlobs()).isEqualTo(packs);
  }

  @Test
  void backupWithoutChangesUploadsNoPack() {
    SourceRepository source = typical(5);
    repository.backup(nextId("run1"), source(source));
    long packFiles = countBlobs(".pack");

    Snapshot second = repository.backup(nextId("run2"), source(source));

    assertThat(second.objectsAdded()).isZero();
    assertThat(second.bytesAdded()).isZero();
    assertThat(countBlobs(".pack")).isEqualTo(packFiles);
    assertThat(second.refs()).isEqualTo(source.refs());
  }

  /** {@code blobs}, counting each call as {@code method name} and the blob's kind (its name's ending). */
  static Blobs counting(Blobs blobs, Map<String, Integer> calls) {
    return (Blobs) Proxy.newProxyInstance(Blobs.class.getClassLoader(), new Class<?>[] {Blobs.class},
        (self, method, args) -> {
          String name = args != null && args.length > 0 && args[0] instanceof String s ? s : "";
          String kind = name.endsWith("/") ? "list" : name.substring(name.lastIndexOf('.') + 1);
          synchronized (calls) { // counted from upload and download threads too
            calls.merge(method.getName() + " " + kind, 1, Integer::sum);
          }
          try {
            return method.invoke(blobs, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The repository as another process sees it (nothing cached), counting its blob calls into {@code calls}. */
  BackupRepository countedInAnotherProcess(Map<String, Integer> calls) {
    return open(counting(blobs, calls)).repository(repository.key());
  }

  @Test
  void aBackupWithoutChangesSaysSoWritesOnlyItsRefsAndReadsNoPackToFindLfsPointers() throws IOException {
    SourceRepository source = typical(5);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    Map<String, Integer> calls = new TreeMap<>();
    // a fresh process: nothing of the repository cached
    BackupRepository cold = countedInAnotherProcess(calls);

    SnapshotId second = nextId("run2");
    Snapshot unchanged = cold.backup(second, source(source));
    Map<String, Integer> backupCalls = new TreeMap<>(calls);
    calls.clear();
    Set<LfsPointer> pointers = cold.lfsPointers(second, Optional.of(first));

    assertThat(unchanged.unchangedSince()).contains(first);
    assertThat(unchanged.refs()).isEqualTo(source.refs());
    assertThat(pointers).isEmpty();
    // no pack written or read (before: the pack index and a block per ref's object, to check it
    // exists): the manifest read once and written once, the reftable read and one written (before:
    // the lease blob's creation tried, the manifest read again after the commit, the new reftable
    // read back), and no lease: nothing but refs to write (before: the lease taken and given up)
    assertThat(backupCalls).isEqualTo(Map.of("read json", 1, "read ref", 1, "write json", 1, "write ref", 1));
    // the walk for pointers reads the manifest and the new reftable, which the backup no longer
    // reads back (10 calls for both before, 8 now); a no-change backup needs no such walk
    assertThat(calls).isEqualTo(Map.of("read json", 1, "read ref", 1));
    // the refs taken from the earlier snapshot, annotated tag included, make the same snapshot
    assertThat(Git.refs(cloneBundle(second))).isEqualTo(source.refs());
    assertThat(repository.verify(second, Optional.empty()).problem()).isEmpty();
  }

  @Test
  void eachBackupSaysWhichSnapshotCameBeforeItDeliveredAgainToo() {
    SourceRepository source = typical(0);
    SnapshotId first = nextId("run1");
    SnapshotId second = nextId("run2");

    assertThat(repository.backup(first, source(source)).after()).isNull();
    source.commit("main", "small.txt", "a small change\n").publish();
    assertThat(repository.backup(second, source(source)).after()).isEqualTo(first);
    assertThat(repository.backup(second, source(source)).after()).as("found made").isEqualTo(first);
    assertThat(repository.snapshots()).extracting(Snapshot::after).as("listed: not known").containsOnlyNulls();
  }

  @Test
  void aBackupRetriedAcrossTheMillisecondIdsFindsItsRunsSnapshotUnderTheSecondOnlyId() {
    SourceRepository source = typical(0);
    SnapshotId earlier = repository.backup(nextId("run0"), source(source)).id();
    // an earlier version named the run's snapshot to the second; the retry names it to the millisecond
    SnapshotId secondOnly = SnapshotId.parse("20270101T000000Z-run1");
    SnapshotId retried = SnapshotId.parse("20270101T000000.250Z-run1");
    repository.backup(secondOnly, source(source));
    source.commit("main", "small.txt", "a change the retry must not take\n").publish();

    Snapshot found = repository.backup(retried, source(source));

    assertThat(found.id()).isEqualTo(secondOnly);
    assertThat(found.after()).isEqualTo(earlier);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(earlier, secondOnly);
    assertThat(repository.backup(SnapshotId.parse("20270101T000000.250Z-run2"), source(source)).id())
        .as("another run of that second").isEqualTo(SnapshotId.parse("20270101T000000.250Z-run2"));
  }

  @Test
  void aBackupWithChangedRefsIsNotUnchanged() {
    SourceRepository source = typical(0);
    repository.backup(nextId("run1"), source(source));
    source.commit("main", "small.txt", "a small change\n").publish();

    assertThat(repository.backup(nextId("run2"), source(source)).unchangedSince()).isEmpty();
  }

  @Test
  void smallChangeUploadsOnlyTheNewObjects() {
    SourceRepository source = typical(0);
    Snapshot first = repository.backup(nextId("run1"), source(source));
    source.commit("main", "small.txt", "a small change\n").publish();

    Snapshot second = repository.backup(nextId("run2"), source(source));

    // commit, tree, blob; and maybe a delta base appended to complete the thin pack
    assertThat(second.objectsAdded()).isBetween(3L, 4L);
    assertThat(second.bytesAdded()).isLessThan(first.bytesAdded() / 10);
  }

  @Test
  void restoresOldSnapshotAfterForcePushAndBranchDeletion() throws IOException {
    SourceRepository source = typical(3);
    SnapshotId before = nextId("run1");
    Snapshot old = repository.backup(before, source(source));
    source.rewriteLastCommit("release/1.x", "VERSION", "1.0-rewritten\n")
        .deleteBranch("feature").publish();

    Snapshot after = repository.backup(nextId("run2"), source(source));

    assertThat(after.refs()).isEqualTo(source.refs()).doesNotContainKey("refs/heads/feature");
    assertThat(Git.refs(cloneBundle(before))).isEqualTo(old.refs())
        .containsKey("refs/heads/feature");
    assertThat(repository.snapshots()).extracting(Snapshot::id)
        .containsExactly(before, after.id());
  }

  @Test
  void emptySourceGivesAnEmptySnapshot() {
    SourceRepository source = SourceRepository.create(root, "empty-" + UUID.randomUUID());
    SnapshotId id = nextId("run1");

    Snapshot snapshot = repository.backup(id, source(source));

    assertThat(snapshot.refs()).isEmpty();
    assertThat(snapshot.head()).isEmpty();
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(id);
  }

  @Test
  void writesABareRepositoryThatGitAccepts() {
    SourceRepository source = typical(5);
    SnapshotId id = nextId("run1");
    Snapshot snapshot = repository.backup(id, source(source));
    Path bare = root.resolve("restored-" + UUID.randomUUID() + ".git");

    repository.writeBareRepository(id, bare);

    Git.fsck(bare);
    assertThat(withoutHead(Git.refs(bare))).isEqualTo(snapshot.refs());
    assertThat(Git.run(bare, "rev-parse", "HEAD").trim()).isEqualTo(source.head());
  }

  @Test
  void pushesASnapshotWithCredentialsInHeadersOnly() {
    SourceRepository source = typical(2);
    SnapshotId id = nextId("run1");
    Snapshot snapshot = repository.backup(id, source(source));
    SourceRepository target = SourceRepository.create(root, "target-" + UUID.randomUUID());
    String token = "s3cret-" + UUID.randomUUID();
    server.requireToken(token);
    try {
      PushResult result = repository.push(id, GitTarget.of(server.url(target.name()),
          () -> Map.of("Authorization", "Bearer " + token)));

      assertThat(result.succeeded()).isTrue();
      assertThat(target.refs()).isEqualTo(snapshot.refs());
      Git.fsck(target.bare());
      assertThat(server.requestLines()).noneMatch(line -> line.contains(token));
    } finally {
      server.requireToken(null);
    }
  }

  @Test
  void aPushReadsEachStoredPackOnceWholeRatherThanBlockByBlock() throws IOException {
    // a first pack of several read blocks
    SourceRepository source = typical(2).binary("main", "data/big.bin", 1_100_000).publish();
    repository.backup(nextId("run1"), source(source));
    source.commit("main", "small.txt", "a small change\n").publish();
    SnapshotId second = nextId("run2");
    Snapshot snapshot = repository.backup(second, source(source));
    SourceRepository target = SourceRepository.create(root, "target-" + UUID.randomUUID());
    Map<String, Integer> calls = new TreeMap<>();
    String token = "s3cret-" + UUID.randomUUID();
    server.requireToken(token);
    PushResult result;
    try {
      result = countedInAnotherProcess(calls).push(second, GitTarget.of(server.url(target.name()),
          () -> Map.of("Authorization", "Bearer " + token)));
    } finally {
      server.requireToken(null);
    }

    assertThat(result.succeeded()).isTrue();
    assertThat(target.refs()).isEqualTo(snapshot.refs());
    Git.fsck(target.bare());
    // both packs (the first backup's, the change's), each in one ranged read (under the read-ahead
    // limit), then read from local disk however PackWriter jumps about in them (before: 4, the
    // large pack's blocks as the block cache missed them)
    assertThat(countBlobs(".pack")).isEqualTo(2);
    assertThat(calls).containsEntry("read pack", 2);
  }

  @Test
  void aFullGcReadsEachStoredPackOnceWholeRatherThanBlockByBlock() throws IOException {
    // a first pack of several read blocks, and a second one
    SourceRepository source = typical(2).binary("main", "data/big.bin", 1_100_000).publish();
    repository.backup(nextId("run1"), source(source));
    source.commit("main", "small.txt", "a small change\n").publish();
    Snapshot second = repository.backup(nextId("run2"), source(source));
    assertThat(countBlobs(".pack")).isEqualTo(2);
    Map<String, Integer> calls = new TreeMap<>();

    MaintenanceReport report = countedInAnotherProcess(calls).maintain(MaintenanceOptions.defaults()
        .withGracePeriod(Duration.ZERO));

    assertThat(report.repacked()).isTrue();
    // both packs, each in one ranged read, then read from local disk in the GC's order
    assertThat(calls).containsEntry("read pack", 2);
    assertThat(Git.refs(cloneBundle(second.id()))).isEqualTo(source.refs());
  }

  @Test
  void aPushIntoATargetWithOnlyTagsWritesNothingAndNamesTheRefsInTheWay() {
    SourceRepository source = typical(0);
    SnapshotId id = nextId("run1");
    repository.backup(id, source(source));
    SourceRepository target = SourceRepository.create(root, "tags-only-" + UUID.randomUUID())
        .commit("main", "NOTES.md", "theirs\n").tag("v1.0").tag("theirs").publish();
    Git.run(target.bare(), "update-ref", "-d", "refs/heads/main");
    Map<String, String> before = target.refs();

    PushResult result = pushWithToken(id, target);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.rejected()).extracting(PushResult.RefPushed::ref)
        .containsExactly("refs/tags/theirs", "refs/tags/v1.0");
    assertThat(result.rejected()).extracting(PushResult.RefPushed::reason)
        .allMatch(reason -> reason.startsWith("the target already has it at "));
    assertThat(result.rejected().get(0).reason()).endsWith("and the snapshot does not");
    assertThat(result.rejected().get(1).reason()).contains(", the snapshot at ");
    assertThat(target.refs()).isEqualTo(before);
  }

  @Test
  void aPushRepeatedAfterAnInterruptionKeepsWhatTheFirstOneCreated() {
    SourceRepository source = typical(0);
    SnapshotId id = nextId("run1");
    Snapshot snapshot = repository.backup(id, source(source));
    SourceRepository target = SourceRepository.create(root, "target-" + UUID.randomUUID());
    pushWithToken(id, target);
    Git.run(target.bare(), "update-ref", "-d", "refs/tags/v1.1");

    PushResult again = pushWithToken(id, target);

    assertThat(again.succeeded()).isTrue();
    assertThat(again.refs()).filteredOn(ref -> ref.outcome() == PushResult.Outcome.UPDATED)
        .extracting(PushResult.RefPushed::ref).containsExactly("refs/tags/v1.1");
    assertThat(target.refs()).isEqualTo(snapshot.refs());
  }

  @Test
  void aRefTheTargetGetsWhileThePushRunsIsRefusedNotOverwritten() {
    SourceRepository source = typical(0);
    SnapshotId id = nextId("run1");
    Snapshot snapshot = repository.backup(id, source(source));
    SourceRepository theirs = SourceRepository.create(root, "theirs-" + UUID.randomUUID())
        .commit("main", "NOTES.md", "theirs\n").publish();
    String theirMain = theirs.refs().get("refs/heads/main");
    // Someone else pushes main to the target after Bunker looked at its refs (its one
    // advertisement), as the pack arrives.
    Map<String, Integer> moments = Map.of("POST /%s/git-receive-pack", 1);
    for (var moment : moments.entrySet()) {
      SourceRepository target = SourceRepository.create(root, "target-" + UUID.randomUUID());
      String request = moment.getKey().formatted(target.name());
      AtomicInteger seen = new AtomicInteger();
      server.beforeRequest(line -> {
        if (line.equals(request) && seen.incrementAndGet() == moment.getValue()) {
          Git.run(target.bare(), "fetch", "-q", theirs.bare().toString(), "refs/heads/main:refs/heads/main");
        }
      });
      try {
        PushResult result = pushWithToken(id, target);

        assertThat(seen).as(request).hasValue(moment.getValue());
        assertThat(result.rejected()).as(request).extracting(PushResult.RefPushed::ref)
            .containsExactly("refs/heads/main");
        assertThat(target.refs().get("refs/heads/main")).as(request).isEqualTo(theirMain);
        assertThat(target.refs().get("refs/heads/feature")).isEqualTo(snapshot.refs().get("refs/heads/feature"));
      } finally {
        server.beforeRequest(null);
      }
    }
  }

  @Test
  void aPushReadsTheTargetsRefsOnce() {
    SnapshotId id = nextId("run1");
    repository.backup(id, source(typical(0)));
    SourceRepository target = SourceRepository.create(root, "target-" + UUID.randomUUID());
    String advertisement = "GET /%s/info/refs?service=git-receive-pack".formatted(target.name());
    AtomicInteger advertised = new AtomicInteger();
    server.beforeRequest(line -> {
      if (line.equals(advertisement)) {
        advertised.incrementAndGet();
      }
    });
    try {
      assertThat(pushWithToken(id, target).rejected()).isEmpty();
      assertThat(advertised).hasValue(1);
    } finally {
      server.beforeRequest(null);
    }
  }

  private PushResult pushWithToken(SnapshotId id, SourceRepository target) {
    String token = "s3cret-" + UUID.randomUUID();
    server.requireToken(token);
    try {
      return repository.push(id,
          GitTarget.of(server.url(target.name()), () -> Map.of("Authorization", "Bearer " + token)));
    } finally {
      server.requireToken(null);
    }
  }

  @Test
  void refusedCredentialsFailWithoutRevealingThem() {
    SourceRepository source = typical(0);
    String token = "s3cret-" + UUID.randomUUID();
    server.requireToken("another-token");
    try {
      assertThatThrownBy(() -> repository.backup(nextId("run1"), new GitSource(
          server.url(source.name()), () -> Map.of("Authorization", "Bearer " + token))))
          .isInstanceOf(TransferException.class)
          .hasMessageContaining(repository.key())
          .hasMessageNotContaining(token);
    } finally {
      server.requireToken(null);
    }
    assertThat(repository.snapshots()).isEmpty();
  }

  @Test
  void deletedSnapshotsDisappearAndTheirObjectsGoAfterGc() throws IOException {
    SourceRepository source = typical(0);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    source.binary("feature", "big.bin", 200_000).publish();
    SnapshotId second = nextId("run2");
    repository.backup(second, source(source));
    source.deleteBranch("feature").publish();
    SnapshotId third = nextId("run3");
    Snapshot kept = repository.backup(third, source(source));

    repository.deleteSnapshots(List.of(second, SnapshotId.parse("20200101T000000Z-unknown")));
    MaintenanceReport gc = repository.maintain(MaintenanceOptions.defaults());
    clock.advance(Duration.ofDays(2));
    repository.maintain(MaintenanceOptions.defaults()); // garbage pack now past its grace
    MaintenanceReport last = repository.maintain(MaintenanceOptions.defaults());

    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first, third);
    assertThat(repository.snapshot(second)).isEmpty();
    assertThat(gc.repacked()).isTrue();
    assertThat(last.bytesAfter()).isLessThan(200_000);
    assertThat(Git.refs(cloneBundle(third))).isEqualTo(kept.refs());
    cloneBundle(first);
  }

  @Test
  void gcPacksEverythingIntoOnePackWithBitmapAndKeepsOldPacksForTheGracePeriod()
      throws IOException {
    SourceRepository source = typical(5);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    for (int i = 0; i < 4; i++) {
      source.commit("main", "file" + i, "content " + i + "\n").publish();
      repository.backup(nextId("run" + (i + 2)), source(source));
    }
    long packsBefore = countBlobs(".pack");

    MaintenanceReport report = repository.maintain(MaintenanceOptions.defaults());

    assertThat(report.repacked()).isTrue();
    assertThat(report.packsAfter()).isLessThan(report.packsBefore());
    assertThat(report.retiredDeleted()).isZero();
    assertThat(countBlobs(".pack")).isGreaterThan(packsBefore); // old ones wait out the grace
    assertThat(countBlobs(".bitmap")).isEqualTo(1);

    clock.advance(Duration.ofDays(1).plusSeconds(1));
    MaintenanceReport later = repository.maintain(MaintenanceOptions.defaults());

    assertThat(later.retiredDeleted()).isPositive();
    assertThat(countBlobs(".pack")).isEqualTo(1);
    assertThat(repository.snapshots()).hasSize(5);
    for (Snapshot s : repository.snapshots()) {
      assertThat(Git.refs(cloneBundle(s.id()))).isEqualTo(repository.snapshot(s.id())
          .orElseThrow().refs());
    }
  }

  @Test
  void aggressiveGcRecomputesDeltasAndKeepsEverySnapshot() throws IOException {
    SourceRepository source = typical(3);
    SnapshotId first = nextId("run1");
    Snapshot old = repository.backup(first, source(source));
    source.commit("main", "more.txt", "more\n").publish();
    SnapshotId second = nextId("run2");
    Snapshot recent = repository.backup(second, source(source));

    MaintenanceReport report = repository.maintain(MaintenanceOptions.defaults()
        .withAggressive(true));

    assertThat(report.repacked()).isTrue();
    assertThat(report.packsAfter()).isEqualTo(1);
    assertThat(Git.refs(cloneBundle(first))).isEqualTo(old.refs());
    assertThat(Git.refs(cloneBundle(second))).isEqualTo(recent.refs());
  }

  @Test
  void compactsManySmallPacksWithoutFullGc() {
    SourceRepository source = typical(0);
    repository.backup(nextId("run0"), source(source));
    for (int i = 0; i < 8; i++) {
      source.commit("main", "f" + i, "c" + i + "\n").publish();
      repository.backup(nextId("run" + (i + 1)), source(source));
    }

    MaintenanceReport report = repository.maintain(MaintenanceOptions.defaults()
        .withFullGc(false));

    assertThat(report.repacked()).isTrue();
    assertThat(report.packsAfter()).isLessThan(report.packsBefore());
    assertThat(repository.snapshots()).hasSize(9);
  }

  @Test
  void sweepsOrphanedBlobsOnlyAfterTheGracePeriod() throws IOException {
    SourceRepository source = typical(0);
    repository.backup(nextId("run1"), source(source));
    String orphan = repository.key() + "/packs/pack-19700101T000000-dead.pack";
    blobs.write(orphan, new byte[100], Blobs.Condition.NONE, null);

    MaintenanceReport early = repository.maintain(MaintenanceOptions.defaults()
        .withFullGc(false));
    clock.advance(Duration.ofDays(2));
    MaintenanceReport late = repository.maintain(MaintenanceOptions.defaults()
        .withFullGc(false));

    assertThat(early.orphansDeleted()).isZero();
    assertThat(late.orphansDeleted()).isEqualTo(1);
    assertThat(blobs.read(orphan)).isEmpty();
    assertThat(repository.snapshots()).hasSize(1);
  }

  @Test
  void unknownManifestVersionIsAClearError() throws IOException {
    repository.backup(nextId("run1"), source(typical(0)));
    String manifest = repository.key() + "/manifest.json";
    blobs.write(manifest, "{\"version\": 99, \"packs\": []}".getBytes(), Blobs.Condition.NONE,
        null);

    assertThatThrownBy(repository::snapshots)
        .isInstanceOf(CorruptRepositoryException.class)
        .hasMessageContaining(repository.key())
        .hasMessageContaining("manifest.json")
        .hasMessageContaining("version 99");
  }

  @Test
  void missingPackIsAClearErrorNamingTheBlob() throws IOException {
    SnapshotId id = nextId("run1");
    repository.backup(id, source(typical(0)));
    String pack = blobs.list(repository.key() + "/packs/").stream()
        .map(Blobs.BlobInfo::name).filter(n -> n.endsWith(".pack")).findFirst().orElseThrow();
    blobs.delete(pack);
    BackupRepository coldRepository = coldRead();

    assertThatThrownBy(() -> coldRepository.writeBundle(id, OutputStream.nullOutputStream()))
        .isInstanceOf(CorruptRepositoryException.class)
        .hasMessageContaining(repository.key())
        .hasMessageContaining(pack);
  }

  @Test
  void aGcThatMeetsAMissingPackFailsNamingItAndChangesNothing() throws IOException {
    // the GC's local copy of the packs fails first; it then reads from storage, as before it
    SnapshotId id = nextId("run1");
    repository.backup(id, source(typical(0)));
    String pack = blobs.list(repository.key() + "/packs/").stream()
        .map(Blobs.BlobInfo::name).filter(n -> n.endsWith(".pack")).findFirst().orElseThrow();
    blobs.delete(pack);
    byte[] manifest = blobs.read(repository.key() + "/manifest.json").orElseThrow().data();
    BackupRepository coldRepository = coldRead();

    assertThatThrownBy(() -> coldRepository.maintain(MaintenanceOptions.defaults().withGracePeriod(Duration.ZERO)))
        .isInstanceOf(CorruptRepositoryException.class)
        .hasMessageContaining(pack);
    assertThat(blobs.read(repository.key() + "/manifest.json").orElseThrow().data()).isEqualTo(manifest);
  }

  @Test
  void truncatedPackIsAClearErrorNamingTheBlob() throws IOException {
    SnapshotId id = nextId("run1");
    repository.backup(id, source(typical(0)));
    Blobs.BlobInfo pack = blobs.list(repository.key() + "/packs/").stream()
        .filter(b -> b.name().endsWith(".pack")).findFirst().orElseThrow();
    byte[] data = blobs.read(pack.name()).orElseThrow().data();
    blobs.write(pack.name(), Arrays.copyOf(data, data.length / 2),
        Blobs.Condition.NONE, null);
    BackupRepository coldRepository = coldRead();

    assertThatThrownBy(() -> coldRepository.writeBundle(id, OutputStream.nullOutputStream()))
        .isInstanceOf(CorruptRepositoryException.class)
        .hasMessageContaining(pack.name())
        .hasMessageContaining("shorter");
  }

  @Test
  void anUndamagedSnapshotVerifiesEveryReachableObject() {
    SourceRepository source = typical(3);
    SnapshotId id = nextId("run1");
    repository.backup(id, source(source));

    Verification verification = repository.verify(id, Optional.empty());

    assertThat(verification.intact()).as(verification.problem().orElse("")).isTrue();
    assertThat(verification.problem()).isEmpty();
    assertThat(verification.objects())
        .isEqualTo(Git.run(source.bare(), "rev-list", "--objects", "--all").lines().count());
    assertThat(verification.bytes()).isGreaterThan(20_000); // the binary at least
  }

  @Test
  void aWholeVerificationOfManyObjectsCountsEachOnceAndReportsDamageTheSameEachTime()
      throws Exception {
    String name = "many-" + UUID.randomUUID() + ".git";
    new SyntheticHistory(300, 5).writeTo(root.resolve(name));
    SnapshotId id = nextId("run1");
    repository.backup(id, GitSource.anonymous(server.url(name)));
    long expected = Git.run(root.resolve(name), "rev-list", "--objects", "--all").lines().count();

    Verification intact = repository.verify(id, Optional.empty());

    assertThat(intact.intact()).as(intact.problem().orElse("")).isTrue();
    assertThat(intact.objects()).isEqualTo(expected);

    String pack = packNames(".pack").get(0);
    byte[] data = blobs.read(pack).orElseThrow().data();
    data[data.length / 2] ^= 0x01;
    blobs.write(pack, data, Blobs.Condition.NONE, null);
    Verification first = repository.verify(id, Optional.empty());
    Verification again = repository.verify(id, Optional.empty());

    assertThat(first.intact()).isFalse();
    assertThat(first.damaged()).isPositive().isEqualTo(again.damaged());
    assertThat(first.objects()).isEqualTo(again.objects()).isLessThan(expected);
    assertThat(first.damagedPacks()).containsExactly(pack);
  }

  @Test
  void verifyingSinceAVerifiedSnapshotReadsOnlyWhatIsNew() {
    SourceRepository source = typical(0);
    SnapshotId first = nextId("run1");
    repository.backup(first, source(source));
    source.commit("main", "small.txt", "a small change\n").publish();
    SnapshotId second = nextId("run2");
    repository.backup(second, source(source));

    Verification whole = repository.verify(second, Optional.empty());
    Verification increment = repository.verify(second, Optional.of(first));

    assertThat(increment.intact()).isTrue();
    assertThat(increment.since()).contains(first);
    assertThat(increment.objects()).as("commit, root tree, blob").isEqualTo(3);
    assertThat(whole.objects()).isGreaterThan(increment.objects());
    repository.deleteSnapshots(List.of(first));
    assertThat(repository.verify(second, Optional.of(first)).objects())
        .as("a forgotten base: everything").isEqualTo(whole.objects());
  }

  @Test
  void aPackWithOneFlippedByteIsReportedNamingTheRepositoryAndThePack() throws IOException {
    SourceRepository source = typical(0).binary("main", "data/big.bin", 1_000_000).publish();
    SnapshotId id = nextId("run1");
    repository.backup(id, source(source));
    String pack = blobs.list(repository.key() + "/packs/").stream().map(Blobs.BlobInfo::name)
        .filter(n -> n.endsWith(".pack")).findFirst().orElseThrow();
    byte[] data = blobs.read(pack).orElseThrow().data();
    data[data.length / 2] ^= 0x01; // inside big.bin, most of the pack
    blobs.write(pack, data, Blobs.Condition.NONE, null);

    // The same store: what the backup wrote or read must not stand in for what is stored.
    Verification verification = repository.verify(id, Optional.empty());

    assertThat(verification.intact()).isFalse();
    assertThat(verification.damaged()).isEqualTo(1);
    assertThat(verification.damagedPacks()).containsExactly(pack);
    assertThat(verification.damage().get(0).objectId())
        .isEqualTo(Git.run(source.bare(), "rev-parse", "main:data/big.bin").strip());
    assertThat(verification.problem()).hasValueSatisfying(problem -> assertThat(problem)
        .contains(repository.key()).contains(pack));
  }

  /** The repository through another store instance: nothing of it in the block cache yet. */
  BackupRepository coldRead() {
    return open(blobs).repository(repository.key());
  }

  /** Names of the repository's pack files ending in {@code suffix}, oldest first. */
  List<String> packNames(String suffix) throws IOException {
    return blobs.list(repository.key() + "/packs/").stream().map(b -> b.name())
        .filter(name -> name.endsWith(suffix)).sorted().toList();
  }

  int packBlobs() {
    return (int) countBlobs("");
  }

  long countBlobs(String suffix) {
    try {
      return blobs.list(repository.key() + "/packs/").stream()
          .filter(b -> b.name().endsWith(suffix)).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
