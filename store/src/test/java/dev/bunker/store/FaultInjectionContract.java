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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes, lost leases, conflicting writers and slow storage, injected around a real blob store:
 * the last good snapshot must stay readable and fsck-clean, a snapshot is visible whole or not at
 * all, and no writer loses another's snapshot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultInjectionContract {
  Path root;
  GitHttpServer server;
  SourceRepository source;
  Map<String, String> firstRefs;
  Map<String, String> secondRefs;
  ManualClock clock;
  Blobs blobs;

  abstract Blobs newBlobs(ManualClock clock);

  /** Whether a crashed writer's lease runs out when the test clock moves (in-memory blobs). */
  abstract boolean leasesFollowTheManualClock();

  /** Lets {@code time} pass for leases: the test clock (in memory) or the wall clock (Azurite). */
  abstract void letLeaseTimePass(Duration time);

  /** Another client breaks the lease on {@code blob} at once (Break Lease, break period 0). */
  abstract void breakLease(String blob) throws IOException;

  @BeforeAll
  void sourceWithTwoStates(@TempDir Path served) {
    root = served;
    server = GitHttpServer.serving(served);
    source = SourceRepository.typical(served, "source", 20);
    firstRefs = source.refs();
    firstCopy = freeze("first-copy");
    source.binary("main", "data/second.bin", 300_000).deleteBranch("feature").pullRefs(30)
        .publish();
    secondRefs = source.refs();
    secondCopy = freeze("second-copy");
  }

  /** A copy of the source as it is now, which later changes to the source leave alone. */
  SourceRepository freeze(String name) {
    SourceRepository copy = SourceRepository.create(root, name);
    Git.run(root, "--git-dir=" + copy.bare(), "fetch", "-q", source.bare().toString(),
        "+refs/*:refs/*");
    Git.run(copy.bare(), "symbolic-ref", "HEAD", "refs/heads/main");
    return copy;
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @BeforeEach
  void freshBlobs() {
    clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    blobs = newBlobs(clock);
  }

  @RegisterExtension
  final OpenedStores opened = new OpenedStores();

  GitStore storeOn(Blobs on) {
    return opened.add(GitStore.on(on, clock, options()));
  }

  static GitStore.Options options() {
    return GitStore.Options.defaults().withLeaseWait(Duration.ofSeconds(30))
        .withWriteBlockSize(64 * 1024); // small blocks: packs span several, more crash points
  }

  GitSource source() {
    return GitSource.anonymous(server.url(source.name()));
  }

  SnapshotId id(String run) {
    return SnapshotId.of(clock.instant(), run);
  }

  /** Clones the snapshot's bundle with CGit, checks it with fsck and returns the clone's refs. */
  Map<String, String> cloneAndCheck(BackupRepository repository, SnapshotId id)
      throws IOException {
    Path bundle = Files.createTempFile(root, "snapshot", ".bundle");
    try (OutputStream out = Files.newOutputStream(bundle)) {
      repository.writeBundle(id, out);
    }
    Path clone = root.resolve("clone-" + UUID.randomUUID());
    Git.run(root, "clone", "-q", "--mirror", bundle.toString(), clone.toString());
    Git.fsck(clone);
    return Git.refs(clone);
  }

  @Test
  void aCrashBetweenAnyTwoWritesKeepsTheLastGoodSnapshot() throws IOException {
    Map<String, String> second = secondRefs;
    GitSource next = GitSource.anonymous(server.url(secondCopy.name()));
    int changes = countChangesOfOneBackup();
    assertThat(changes).isGreaterThan(5);

    for (int crashAfter = 0; crashAfter < changes; crashAfter++) {
      String key = "orgs/o1/repos/crash-" + crashAfter;
      SnapshotId good = id("good");
      SnapshotId nextId = id("next");
      storeOn(blobs).repository(key).backup(good, GitSource.anonymous(
          server.url(firstCopy.name())));
      FaultyBlobs faulty = FaultyBlobs.around(blobs).crashAfterChanges(crashAfter);

      boolean failed;
      try {
        storeOn(faulty).repository(key).backup(nextId, next);
        failed = false; // the crash hit the lease release, after the snapshot was committed
      } catch (StoreException e) {
        failed = true;
      }

      assertThat(faulty.crashed()).isTrue();
      BackupRepository healthy = storeOn(blobs).repository(key);
      List<SnapshotId> ids = healthy.snapshots().stream().map(Snapshot::id).toList();
      assertThat(ids).as("crash after %d changes", crashAfter)
          .isIn(failed ? List.of(List.of(good), List.of(good, nextId))
              : List.of(List.of(good, nextId)));
      assertThat(cloneAndCheck(healthy, good)).isEqualTo(firstRefs);
      if (ids.contains(nextId)) {
        assertThat(cloneAndCheck(healthy, nextId)).isEqualTo(second);
      }
      if (leasesFollowTheManualClock()) {
        clock.advance(Duration.ofMinutes(2)); // the dead writer's lease runs out
        Snapshot retried = healthy.backup(nextId, next);
        assertThat(retried.refs()).isEqualTo(second);
        healthy.maintain(MaintenanceOptions.defaults().withGracePeriod(Duration.ZERO));
        assertThat(cloneAndCheck(healthy, good)).isEqualTo(firstRefs);
        assertThat(cloneAndCheck(healthy, nextId)).isEqualTo(second);
      }
    }
  }

  /** The source frozen in its first and second state. */
  private SourceRepository firstCopy;
  private SourceRepository secondCopy;

  private int countChangesOfOneBackup() {
    String key = "orgs/o1/repos/count";
    storeOn(blobs).repository(key).backup(id("good"), GitSource.anonymous(
        server.url(firstCopy.name())));
    FaultyBlobs counting = FaultyBlobs.around(blobs);
    storeOn(counting).repository(key).backup(id("next"),
        GitSource.anonymous(server.url(secondCopy.name())));
    return counting.changes();
  }

  @Test
  void aWriterThatLostItsLeaseCannotOverwriteTheNextWriter() throws IOException {
    String key = "orgs/o1/repos/lease";
    SnapshotId first = id("first");
    storeOn(blobs).repository(key).backup(first, source());
    SnapshotId slow = SnapshotId.of(clock.instant().plusSeconds(1), "slow");
    SnapshotId fast = SnapshotId.of(clock.instant().plusSeconds(2), "fast");
    FaultyBlobs paused = FaultyBlobs.around(blobs).beforeManifestWrite(1, leaseId -> {
      // The slow writer loses its lease (stalled, or broken); another writer takes over.
      breakLease(key + "/manifest.json");
      storeOn(blobs).repository(key).backup(fast, source());
    });
    source.commit("main", "slow.txt", "only the slow writer saw this\n").publish();

    assertThatThrownBy(() -> storeOn(paused).repository(key).backup(slow, source()))
        .isInstanceOf(ConcurrentWriteException.class)
        .hasMessageContaining(key);

    BackupRepository repository = storeOn(blobs).repository(key);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first, fast);
    cloneAndCheck(repository, fast);
    Snapshot retried = repository.backup(slow, source());
    assertThat(repository.snapshots()).extracting(Snapshot::id)
        .containsExactly(first, slow, fast);
    assertThat(cloneAndCheck(repository, slow)).isEqualTo(retried.refs());
  }

  @Test
  void aWriterHoldingItsLeaseLongerThanTheLeaseDurationKeepsItAndCommits() throws IOException {
    String key = "orgs/o1/repos/renewal";
    Duration lease = Duration.ofSeconds(15); // the shortest lease Azure grants
    Duration step = Duration.ofSeconds(4);
    FaultyBlobs observed = FaultyBlobs.around(blobs);
    observed.beforeManifestWrite(1, leaseId -> {
      // The pack is written; the writer works on past its lease duration before committing it.
      for (Duration held = Duration.ZERO; held.compareTo(lease) <= 0; held = held.plus(step)) {
        int renewed = observed.renewals();
        letLeaseTimePass(step);
        awaitRenewalAfter(observed, renewed);
      }
    });
    GitStore store = opened.add(GitStore.on(observed, clock,
        options().withLease(lease, Duration.ofMillis(250))));
    SnapshotId id = id("held");

    Snapshot snapshot = store.repository(key).backup(id, source());

    assertThat(observed.renewals()).isGreaterThanOrEqualTo(4);
    BackupRepository repository = storeOn(blobs).repository(key);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(id);
    assertThat(cloneAndCheck(repository, id)).isEqualTo(snapshot.refs());
  }

  private static void awaitRenewalAfter(FaultyBlobs observed, int renewals) {
    await("a lease renewal", () -> observed.renewals() > renewals);
  }

  private static void await(String what, BooleanSupplier done) {
    await(what, Duration.ofSeconds(10), done);
  }

  /** Waits for {@code done}; {@code patience} only bounds a test that would otherwise hang. */
  private static void await(String what, Duration patience, BooleanSupplier done) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + patience + "; the threads then:\n" + threads());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Every thread's stack, so that a wait that never ends says where the writer was stuck. */
  private static String threads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
      for (StackTraceElement frame : stack) {
        dump.append("    at ").append(frame).append('\n');
      }
    });
    return dump.toString();
  }

  /**
   * The lease is broken while a large pack uploads, at a precise point: the writer is blocked on
   * its full upload pipeline and every block in flight has passed its lease check (storage holds
   * them unanswered). Those blocks cannot be called back; no other block may start once the writer
   * knows of the loss, and the backup fails only after the ones in flight have ended.
   */
  @Test
  void aLeaseBrokenDuringALargePackUploadStopsTheBackupBeforeThePackIsUploaded()
      throws Exception {
    String key = "orgs/o1/repos/broken-upload";
    SourceRepository large = SourceRepository.create(root, "large-" + UUID.randomUUID())
        .commit("main", "README.md", "# Large\n").publish();
    GitSource from = GitSource.anonymous(server.url(large.name()));
    SnapshotId good = id("good");
    Map<String, String> goodRefs = storeOn(blobs).repository(key).backup(good, from).refs();
    int pack = 2_000_000; // random bytes: the pack is as large, about 30 blocks
    large.binary("main", "big.bin", pack).publish();
    GitStore.Options options = options().withLease(Duration.ofSeconds(60), Duration.ofMillis(100));
    int block = options.writeBlockSize();
    int inFlight = options.uploadsInFlight() + 1; // the writer waits when one more is queued
    FaultyBlobs breaking = FaultyBlobs.around(blobs).holdBlocksFrom(3);
    GitStore store = opened.add(GitStore.on(breaking, clock, options));
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<Snapshot> backup = writer.submit(() -> store.repository(key).backup(id("broken"), from));
      // the writer first fetches the pack from the source: slow on a busy machine
      try {
        await("the writer blocked on " + inFlight + " uploads in flight", Duration.ofMinutes(3),
            () -> breaking.heldBlocks() >= inFlight || backup.isDone());
      } catch (AssertionError stuck) {
        // say what the lease and the uploads had done by then
        throw new AssertionError("held " + breaking.heldBlocks() + ", block bytes " + breaking.blockBytes()
            + ", lease renewals " + breaking.renewals() + " (refused " + breaking.refusedRenewals() + ", failed "
            + breaking.failedRenewals() + "), clock " + clock.instant() + "; " + stuck.getMessage(), stuck);
      }
      assertThat(backup).as("the backup, waiting for its uploads").isNotDone();
      assertThat(breaking.heldBlocks()).as("uploads in flight").isEqualTo(inFlight);

      breakLease(key + "/manifest.json");
      await("a refused lease renewal", () -> breaking.refusedRenewals() > 0);
      // On the test clock the lease has now gone unrenewed for as long as it lasts: the writer
      // knows it lost the lease before any held upload ends, whenever its renewal thread runs.
      clock.advance(options.leaseDuration());
      long uploadedWhenLost = breaking.blockBytes();
      breaking.releaseBlocks();

      assertThatThrownBy(backup::get).cause()
          .isInstanceOf(ConcurrentWriteException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("lost the writer lease");
      assertThat(breaking.blockBytes() - uploadedWhenLost)
          .as("bytes of block uploads started after the lease was known lost").isZero();
      assertThat(uploadedWhenLost).as("bytes uploaded in all")
          .isEqualTo((2L + inFlight) * block).isLessThan(pack / 2);
    } finally {
      breaking.releaseBlocks();
      writer.shutdownNow();
    }
    BackupRepository repository = storeOn(blobs).repository(key);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(good);
    assertThat(cloneAndCheck(repository, good)).isEqualTo(goodRefs);
    SnapshotId later = id("later");
    assertThat(repository.backup(later, from).refs()).isEqualTo(large.refs());
    assertThat(cloneAndCheck(repository, good)).isEqualTo(goodRefs);
    assertThat(cloneAndCheck(repository, later)).isEqualTo(large.refs());
  }

  @Test
  void aLeaseRenewalThatFailsOnceDoesNotStopTheBackup() throws IOException {
    String key = "orgs/o1/repos/transient-renewal";
    FaultyBlobs flaky = FaultyBlobs.around(blobs);
    flaky.beforeManifestWrite(1, leaseId -> {
      int renewed = flaky.renewals();
      flaky.failRenewals(1);
      await("a failed and then a good lease renewal",
          () -> flaky.failedRenewals() == 1 && flaky.renewals() > renewed);
    });
    GitStore store = opened.add(GitStore.on(flaky, clock,
        options().withLease(Duration.ofSeconds(60), Duration.ofMillis(100))));
    SnapshotId id = id("flaky");

    Snapshot snapshot = store.repository(key).backup(id, source());

    BackupRepository repository = storeOn(blobs).repository(key);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(id);
    assertThat(cloneAndCheck(repository, id)).isEqualTo(snapshot.refs());
  }

  /** Breaks the lease just before the pack's manifest write (1) or the snapshot's (2). */
  @ParameterizedTest(name = "before manifest write {0}")
  @ValueSource(ints = {1, 2})
  void aBrokenLeaseFailsTheBackupClearlyAndKeepsTheLastGoodSnapshot(int manifestWrite)
      throws IOException {
    String key = "orgs/o1/repos/broken-" + manifestWrite;
    SnapshotId good = id("good");
    storeOn(blobs).repository(key).backup(good, GitSource.anonymous(
        server.url(firstCopy.name())));
    GitSource next = GitSource.anonymous(server.url(secondCopy.name()));
    FaultyBlobs breaking = FaultyBlobs.around(blobs)
        .beforeManifestWrite(manifestWrite, leaseId -> breakLease(key + "/manifest.json"));

    assertThatThrownBy(() -> storeOn(breaking).repository(key).backup(id("broken"), next))
        .isInstanceOf(ConcurrentWriteException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("lost the writer lease")
        .hasMessageContaining("nothing of this change became visible");

    BackupRepository repository = storeOn(blobs).repository(key);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(good);
    assertThat(cloneAndCheck(repository, good)).isEqualTo(firstRefs);
    SnapshotId later = id("later");
    assertThat(repository.backup(later, next).refs()).isEqualTo(secondRefs);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(good, later);
    assertThat(cloneAndCheck(repository, good)).isEqualTo(firstRefs);
    assertThat(cloneAndCheck(repository, later)).isEqualTo(secondRefs);
  }

  @Test
  void aManifestChangedBehindTheWritersBackFailsTheBackupAndKeepsTheOtherChange()
      throws IOException {
    String key = "orgs/o1/repos/conflict";
    BackupRepository repository = storeOn(blobs).repository(key);
    SnapshotId first = id("first");
    repository.backup(first, source());
    String manifest = key + "/manifest.json";
    source.commit("main", "conflict.txt", "x\n").publish();
    // Someone with the same lease (say, a duplicate of this worker) rewrites the manifest just
    // before the snapshot's refs are committed: the ETag no longer matches.
    FaultyBlobs interfered = FaultyBlobs.around(blobs).beforeManifestWrite(2, leaseId -> {
      Blobs.Blob current = blobs.read(manifest).orElseThrow();
      blobs.write(manifest, current.data(), Blobs.Condition.matching(current.etag()), leaseId);
    });

    assertThatThrownBy(() -> storeOn(interfered).repository(key).backup(id("second"), source()))
        .isInstanceOf(ConcurrentWriteException.class)
        .hasMessageContaining("manifest.json");

    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first);
    cloneAndCheck(repository, first);
  }

  @Test
  void aBackupWithOnlyRefsToWriteThatAnotherWriterOvertakesStartsAgainUnderTheLeaseAndBothSnapshotsStay()
      throws IOException {
    String key = "orgs/o1/repos/overtaken-" + UUID.randomUUID();
    BackupRepository repository = storeOn(blobs).repository(key);
    SnapshotId first = id("first");
    repository.backup(first, source());
    SnapshotId other = id("other");
    // nothing new at the source: the backup writes its refs without the lease, and another
    // backup commits between its read of the manifest and its write
    FaultyBlobs overtaken = FaultyBlobs.around(blobs).beforeManifestWriteWithoutLease(1,
        none -> storeOn(blobs).repository(key).backup(other, source()));

    Snapshot made = storeOn(overtaken).repository(key).backup(id("overtaken"), source());

    assertThat(made.refs()).isEqualTo(source.refs());
    assertThat(made.unchangedSince()).as("the snapshot before it, as read again").contains(other);
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first, other, made.id());
    assertThat(cloneAndCheck(repository, made.id())).isEqualTo(source.refs());
  }

  @Test
  void aBackupWithObjectsToFetchThatAnotherWriterOvertakesBeforeItsLeaseFetchesThemOnceUnderIt()
      throws IOException {
    String key = "orgs/o1/repos/overtaken-" + UUID.randomUUID();
    GitSource next = GitSource.anonymous(server.url(secondCopy.name()));
    BackupRepository repository = storeOn(blobs).repository(key);
    SnapshotId first = id("first");
    repository.backup(first, GitSource.anonymous(server.url(firstCopy.name())));
    SnapshotId other = id("other");
    // the source changed: the backup takes the lease before asking for objects, on the manifest
    // it read; another backup fetched and committed them just before
    FaultyBlobs overtaken = FaultyBlobs.around(blobs).beforeManifestLease(1,
        none -> storeOn(blobs).repository(key).backup(other, next));

    Snapshot made = storeOn(overtaken).repository(key).backup(id("overtaken"), next);

    assertThat(made.refs()).isEqualTo(secondRefs);
    assertThat(made.objectsAdded()).as("fetched by the other backup, not again").isZero();
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first, other, made.id());
    assertThat(cloneAndCheck(repository, made.id())).isEqualTo(secondRefs);
    assertThat(cloneAndCheck(repository, other)).isEqualTo(secondRefs);
  }

  @Test
  void aBackupWithOnlyRefsToWriteOvertakenByADeletionStartsAgainAndTheDeletedSnapshotStaysDeleted()
      throws IOException {
    String key = "orgs/o1/repos/overtaken-" + UUID.randomUUID();
    BackupRepository repository = storeOn(blobs).repository(key);
    SnapshotId first = id("first");
    repository.backup(first, source());
    // retention forgets the snapshot the backup found its refs equal to, between its read and its write
    FaultyBlobs overtaken = FaultyBlobs.around(blobs).beforeManifestWriteWithoutLease(1,
        none -> storeOn(blobs).repository(key).deleteSnapshots(List.of(first)));

    Snapshot made = storeOn(overtaken).repository(key).backup(id("overtaken"), source());

    assertThat(made.unchangedSince()).as("no snapshot before it any more").isEmpty();
    assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(made.id());
    assertThat(cloneAndCheck(repository, made.id())).isEqualTo(source.refs());
  }

  @Test
  void aBackupWithObjectsToFetchWaitsForTheWriterHoldingTheLeaseAndFetchesUnderItsOwn() throws Exception {
    String key = "orgs/o1/repos/held-" + UUID.randomUUID();
    String manifest = key + "/manifest.json";
    BackupRepository repository = storeOn(blobs).repository(key);
    SnapshotId first = id("first");
    repository.backup(first, GitSource.anonymous(server.url(firstCopy.name())));
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try {
      // another writer holds the lease a while as the backup asks for it, and changes nothing
      FaultyBlobs held = FaultyBlobs.around(blobs).beforeManifestLease(1, holdLeaseAWhile(manifest, holder));

      Snapshot made = storeOn(held).repository(key)
          .backup(id("second"), GitSource.anonymous(server.url(secondCopy.name())));

      assertThat(made.objectsAdded()).as("fetched under its own lease").isPositive();
      assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first, made.id());
      assertThat(cloneAndCheck(repository, made.id())).isEqualTo(secondRefs);
      assertThat(blobs.list(manifest)).extracting(Blobs.BlobInfo::leased).as("given up").containsExactly(false);
    } finally {
      holder.shutdownNow();
    }
  }

  @Test
  void aSourceThatServesGitOnlyAsFilesIsFetchedUnderTheLeaseToo() throws Exception {
    // JGit falls back to fetching a dumb-HTTP source object by object, with no POST to see
    Path dumb = root.resolve("dumb-" + UUID.randomUUID() + ".git");
    Git.run(root, "clone", "-q", "--mirror", secondCopy.bare().toString(), dumb.toString());
    try (GitFilesServer files = GitFilesServer.serving(dumb)) {
      String key = "orgs/o1/repos/dumb-" + UUID.randomUUID();
      BackupRepository repository = storeOn(blobs).repository(key);
      SnapshotId first = id("first");
      repository.backup(first, GitSource.anonymous(server.url(firstCopy.name())));
      Map<String, Integer> calls = new java.util.LinkedHashMap<>(); // in the order first made
      GitSource source = GitSource.anonymous(files.url());

      Snapshot made = storeOn(GitStoreContract.counting(blobs, calls)).repository(key).backup(id("dumb"), source);

      assertThat(made.refs()).isEqualTo(secondRefs);
      List<String> order = List.copyOf(calls.keySet());
      assertThat(order).as("the objects came under the lease").contains("acquireLease json", "releaseLease json");
      assertThat(order.indexOf("acquireLease json")).as("%s", order).isLessThan(order.stream()
          .filter(call -> call.endsWith(" pack") && !call.startsWith("read")).map(order::indexOf)
          .min(Integer::compare).orElseThrow());
      assertThat(cloneAndCheck(repository, made.id())).isEqualTo(secondRefs);
    }
  }

  @Test
  void aBackupWithOnlyRefsToWriteWaitsForTheWriterHoldingTheLease() throws Exception {
    String key = "orgs/o1/repos/held-" + UUID.randomUUID();
    String manifest = key + "/manifest.json";
    BackupRepository repository = storeOn(blobs).repository(key);
    SnapshotId first = id("first");
    repository.backup(first, source());
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try {
      // another writer takes the lease between the backup's read and its write, and holds it a while
      FaultyBlobs held = FaultyBlobs.around(blobs).beforeManifestWriteWithoutLease(1,
          holdLeaseAWhile(manifest, holder));

      Snapshot made = storeOn(held).repository(key).backup(id("second"), source());

      assertThat(repository.snapshots()).extracting(Snapshot::id).containsExactly(first, made.id());
      assertThat(cloneAndCheck(repository, made.id())).isEqualTo(source.refs());
    } finally {
      holder.shutdownNow();
    }
  }

  /** Another writer that takes the lease on {@code manifest} and gives it up 300 ms later, changing nothing. */
  private FaultyBlobs.BeforeManifestWrite holdLeaseAWhile(String manifest, ExecutorService holder) {
    return none -> {
      String lease = blobs.acquireLease(manifest, Duration.ofSeconds(15));
      holder.submit(() -> {
        Thread.sleep(300);
        blobs.releaseLease(manifest, lease);
        return null;
      });
    };
  }

  @Test
  void concurrentWritersNeverLoseASnapshot() throws Exception {
    String key = "orgs/o1/repos/concurrent";
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<Snapshot>> writers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        SnapshotId id = SnapshotId.of(clock.instant().plusSeconds(i), "w" + i);
        writers.add(() -> storeOn(blobs).repository(key).backup(id, source()));
      }
      List<Snapshot> done = new ArrayList<>();
      for (Future<Snapshot> f : pool.invokeAll(writers)) {
        done.add(f.get());
      }

      BackupRepository repository = storeOn(blobs).repository(key);
      assertThat(repository.snapshots()).extracting(Snapshot::id)
          .containsExactlyElementsOf(done.stream().map(Snapshot::id).sorted().toList());
      for (Snapshot s : done) {
        assertThat(cloneAndCheck(repository, s.id())).isEqualTo(s.refs());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void storageThatDoesNotAnswerFailsTheVerificationWithoutReportingDamage() {
    BackupRepository repository = storeOn(blobs).repository("orgs/o1/repos/" + UUID.randomUUID());
    SnapshotId id = id("run1");
    repository.backup(id, source());
    FaultyBlobs unanswered = FaultyBlobs.around(blobs).unansweredRangedReads(".pack");

    assertThatThrownBy(() -> storeOn(unanswered).repository(repository.key()).verify(id, Optional.empty()))
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(CorruptRepositoryException.class)
        .hasMessageContaining("did not answer");
    assertThat(storeOn(blobs).repository(repository.key()).verify(id, Optional.empty()).intact()).isTrue();
  }

  @Test
  void slowStorageStillGivesCompleteSnapshots() throws IOException {
    String key = "orgs/o1/repos/slow";
    FaultyBlobs slow = FaultyBlobs.around(blobs).slowReads(Duration.ofMillis(20));
    BackupRepository repository = storeOn(slow).repository(key);
    SnapshotId id = id("slow");

    Snapshot snapshot = repository.backup(id, source());

    assertThat(cloneAndCheck(storeOn(slow).repository(key), id)).isEqualTo(snapshot.refs());
  }
}
