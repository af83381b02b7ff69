package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.Faults;
import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.port.SnapshotRecords;
import dev.bunker.core.port.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A worker that fails between two writes leaves state that its redelivery (or, for a backup
 * claimed but never sent, the scheduler's top-up) completes, once.
 */
class CrashRecoveryTest {
  private static Catalog withRuns(Catalog catalog, RunRecords runs) {
    return new Catalog(catalog.organizations(), catalog.credentials(), catalog.repositories(), runs,
        catalog.snapshots(), catalog.restores(), catalog.metadataRestores());
  }

  private static Catalog withSnapshots(Catalog catalog, SnapshotRecords snapshots) {
    return new Catalog(catalog.organizations(), catalog.credentials(), catalog.repositories(), catalog.runs(),
        snapshots, catalog.restores(), catalog.metadataRestores());
  }

  private static void addRepositories(World world) {
    for (String name : List.of("api", "web", "docs")) {
      world.source.addRepository(World.CONTOSO, "Team", name, RepositoryKind.GIT);
    }
  }

  /** Delivers each message, redelivering it with the next attempt number when its handler throws. */
  private static void deliverWithRetries(World world) {
    List<WorkItem.Discover> discoveries;
    List<WorkItem.BackupRepository> backups;
    do {
      discoveries = world.queue.take(WorkItem.Discover.class);
      backups = world.queue.take(WorkItem.BackupRepository.class);
      discoveries.forEach(work -> untilHandled(attempt -> world.bunker.discovery().discover(work, attempt)));
      backups.forEach(work -> untilHandled(attempt -> world.bunker.backups().backup(work, attempt)));
    } while (!discoveries.isEmpty() || !backups.isEmpty());
  }

  private static void untilHandled(LongConsumer handler) {
    for (long attempt = 1; attempt <= World.MAX_ATTEMPTS; attempt++) {
      try {
        handler.accept(attempt);
        return;
      } catch (Faults.InjectedFault | RetryLaterException e) {
        // the queue delivers it again
      }
    }
    throw new AssertionError("still failing after " + World.MAX_ATTEMPTS + " attempts");
  }

  /** Starts a run of three repositories now and delivers its work, retrying what throws; the run as it ends. */
  private static RunReport backUpThreeRepositories(World world, PolicyInput policy) {
    addRepositories(world);
    Organization organization = world.registerContoso(policy);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    deliverWithRetries(world);
    return world.bunker.runs().get(organization.id(), queued.id());
  }

  private static void assertOneSnapshotPerRepository(World world, RunReport run) {
    String organizationId = run.organizationId();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.counts().succeeded()).isEqualTo(3);
    for (Repository repository : world.bunker.inventory().repositories(organizationId)) {
      assertThat(world.vault.snapshotIds(repository.key())).hasSize(1);
      assertThat(world.bunker.inventory().snapshots(organizationId, repository.id())).hasSize(1);
    }
    assertThat(world.vault.fetches()).isEqualTo(3);
  }

  @Test
  void aDiscoveryThatCrashesBeforeMarkingTheRunIsCompletedByItsRedelivery() {
    Catalog memory = InMemoryCatalog.create();
    World world = new World("2026-05-01T10:00:00Z",
        withRuns(memory, Faults.failOnCall(RunRecords.class, memory.runs(), "update", 1)));
    assertOneSnapshotPerRepository(world, backUpThreeRepositories(world, null));
  }

  @Test
  void aBackupThatCrashesBetweenTheStoreAndTheCatalogRecordsOneSnapshot() {
    Catalog memory = InMemoryCatalog.create();
    World world = new World("2026-05-01T10:00:00Z",
        withSnapshots(memory, Faults.failOnCall(SnapshotRecords.class, memory.snapshots(), "save", 2)));
    assertOneSnapshotPerRepository(world, backUpThreeRepositories(world, null));
  }

  @Test
  void aBackupThatCrashesRecordingItsSuccessRecordsOneSnapshot() {
    Catalog memory = InMemoryCatalog.create();
    // saveResult calls for the first repository: running (1), succeeded (2)
    World world = new World("2026-05-01T10:00:00Z",
        withRuns(memory, Faults.failOnCall(RunRecords.class, memory.runs(), "saveResult", 2)));
    assertOneSnapshotPerRepository(world, backUpThreeRepositories(world, null));
  }

  @Test
  void aBackupThatCannotSendTheNextOneKeepsItsSuccessAndTheSchedulerSendsItOnceItsClaimTimesOut() {
    // sends: the discovery (1), the first backup (2), its verification (3), the second backup after the first
    // succeeded (4)
    UnaryOperator<WorkQueue> failFourthSend = queue -> Faults.failOnCall(WorkQueue.class, queue, "enqueue", 4);
    World world = new World("2026-05-01T10:00:00Z", InMemoryCatalog.create(), failFourthSend);
    RunReport first = backUpThreeRepositories(world, aPolicy().concurrency(1).build());
    // the redelivery found the next repository claimed: the claim waits out its timeout
    world.bunker.scheduler().tick();
    assertThat(world.queue.all(WorkItem.BackupRepository.class)).isEmpty();

    world.clock.advance(BackupDispatcher.UNSENT_CLAIM_TIMEOUT.plusMinutes(1));
    world.bunker.scheduler().tick();
    world.bunker.scheduler().tick();
    assertThat(world.queue.all(WorkItem.BackupRepository.class)).hasSize(1);
    deliverWithRetries(world);
    RunReport run = world.bunker.runs().get(first.organizationId(), first.id());
    assertOneSnapshotPerRepository(world, run);
    assertThat(run.results()).extracting(RepositoryResult::attempts).containsOnly(1);
  }

  @Test
  void aQueueOutageGivesTheSlotBackToTheNextTick() {
    UnaryOperator<WorkQueue> failFirstSend = queue -> Faults.failOnCall(WorkQueue.class, queue, "enqueue", 1);
    World world = new World("2026-01-15T00:30:00Z", InMemoryCatalog.create(), failFirstSend);
    Organization organization = world.registerContoso(SchedulerTest.hours("UTC", 1));
    world.clock.set(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(world.bunker.scheduler().tick()).isZero();
    assertThat(world.bunker.organizations().get(organization.id()).nextSlot())
        .isEqualTo(Instant.parse("2026-01-15T01:00:00Z"));
    world.clock.advance(Duration.ofMinutes(5));
    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);
    assertThat(world.queue.all(WorkItem.Discover.class)).singleElement()
        .extracting(WorkItem.Discover::slot).isEqualTo(Instant.parse("2026-01-15T01:00:00Z"));
  }

  @Test
  void theSameSlotDiscoveredTwiceIsOneRun() {
    World world = new World("2026-01-15T00:30:00Z");
    addRepositories(world);
    Organization organization = world.registerContoso(SchedulerTest.hours("UTC", 1));
    world.clock.set(Instant.parse("2026-01-15T01:00:00Z"));
    world.bunker.scheduler().tick();
    WorkItem.Discover discover = world.queue.all(WorkItem.Discover.class).get(0);
    world.queue.enqueue(discover);
    deliverWithRetries(world);
    assertThat(world.bunker.runs().newest(organization.id(), 10)).singleElement()
        .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
    assertThat(world.vault.fetches()).isEqualTo(3);
  }

  @Test
  void anInjectedFaultHasNoEffect() {
    Catalog memory = InMemoryCatalog.create();
    SnapshotRecords faulty = Faults.failOnCall(SnapshotRecords.class, memory.snapshots(), "save", 1);
    Snapshot snapshot =
        new Snapshot("o", "r", "20260101T000000Z-00000001", "run", Instant.EPOCH, 1, null, 0, null, null);
    assertThatThrownBy(() -> faulty.save(snapshot)).isInstanceOf(Faults.InjectedFault.class);
    assertThat(faulty.list(snapshot.repositoryKey())).isEmpty();
    faulty.save(snapshot);
    assertThat(faulty.list(snapshot.repositoryKey())).containsExactly(snapshot);
  }
}
