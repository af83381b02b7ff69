package dev.bunker.core;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.OrganizationKind;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.Restore;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.model.RestoreTarget;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunEnded;
import dev.bunker.core.model.RunIds;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.MetadataRestoreRecords;
import dev.bunker.core.run.SchedulerTest;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.RestoreReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every catalog must do; run against the in-memory twin and against Azure Tables (Azurite). */
public abstract class CatalogContract {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");

  /** A new, empty catalog. */
  protected abstract Catalog newCatalog();

  private final Catalog catalog = newCatalog();

  private static Organization organization(String id) {
    Policy policy = Policy.from(aPolicy().atHours("Europe/Warsaw", 2, 14).autoAddingNewRepositories(false)
        .includingWikis(false).concurrency(8).build());
    return new Organization(id, "https://dev.azure.com/" + id, OrganizationKind.CLOUD, CredentialKind.PAT, "cred1",
        policy, T0.plusSeconds(3600), T0, T0, null);
  }

  protected static Repository repository(String organizationId, String id, RepositoryState state) {
    return new Repository(organizationId, id, "p1", "Team", "repo-" + id, RepositoryKind.GIT, state,
        "https://dev.azure.com/" + organizationId + "/Team/_git/" + id, T0, null, null, null, null, null);
  }

  @Test
  void anOrganizationRoundTripsEveryField() {
    Organization organization = organization("contoso");
    catalog.organizations().insert(organization);
    Versioned<Organization> found = catalog.organizations().find("contoso").orElseThrow();
    assertThat(found.value()).isEqualTo(organization);
    assertThat(found.version()).isNotBlank();
    assertThat(catalog.organizations().list()).extracting(Versioned::value).containsExactly(organization);
  }

  @Test
  void insertingAnExistingOrganizationConflicts() {
    catalog.organizations().insert(organization("contoso"));
    assertThatThrownBy(() -> catalog.organizations().insert(organization("contoso")))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void aReplaceBasedOnAStaleVersionChangesNothing() {
    Versioned<Organization> read = catalog.organizations().insert(organization("contoso"));
    Organization moved = read.value().withNextSlot(T0.plusSeconds(7200), T0);
    Versioned<Organization> written = catalog.organizations().replace(moved, read.version());
    assertThatThrownBy(() -> catalog.organizations().replace(read.value().deleted(T0), read.version()))
        .isInstanceOf(StaleVersionException.class);
    assertThat(catalog.organizations().find("contoso").orElseThrow().value()).isEqualTo(moved);
    catalog.organizations().replace(moved.deleted(T0), written.version());
    assertThat(catalog.organizations().find("contoso").orElseThrow().value().isActive()).isFalse();
  }

  /** Starts every racer at the same moment; how many of them returned true. */
  private static int winners(List<Callable<Boolean>> racers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(racers.size());
    try {
      CyclicBarrier start = new CyclicBarrier(racers.size());
      List<Future<Boolean>> running = new ArrayList<>();
      for (Callable<Boolean> racer : racers) {
        running.add(pool.submit(() -> {
          start.await();
          return racer.call();
        }));
      }
      int wins = 0;
      for (Future<Boolean> racer : running) {
        wins += racer.get() ? 1 : 0;
      }
      return wins;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void ofTwoConcurrentReplacesFromOneVersionExactlyOneWins() throws Exception {
    Versioned<Organization> read = catalog.organizations().insert(organization("contoso"));
    List<Callable<Boolean>> writers = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Organization change = read.value().withNextSlot(T0.plusSeconds(i), T0);
      writers.add(() -> {
        try {
          catalog.organizations().replace(change, read.version());
          return true;
        } catch (StaleVersionException e) {
          return false;
        }
      });
    }
    assertThat(winners(writers)).isEqualTo(1);
  }

  @Test
  void replacingAMissingOrganizationIsStale() {
    String someVersion = catalog.organizations().insert(organization("contoso")).version();
    assertThatThrownBy(() -> catalog.organizations().replace(organization("ghost"), someVersion))
        .isInstanceOf(StaleVersionException.class);
  }

  @Test
  void idsThatCannotBeKeysAreSimplyUnknown() {
    catalog.organizations().insert(organization("contoso"));
    for (String id : List.of("a/b", "x'y", "a#b", "a?b", "tab\tid", "")) {
      assertThat(catalog.organizations().find(id)).isEmpty();
      assertThat(catalog.runs().find(id, id)).isEmpty();
      assertThat(catalog.repositories().list(id)).isEmpty();
    }
  }

  @Test
  void credentialsAreAddedListedAndDeleted() {
    Credential credential = new Credential("c1", "build", CredentialKind.PAT, "bunker-credential-c1", "me", T0, null);
    catalog.credentials().insert(credential);
    assertThatThrownBy(() -> catalog.credentials().insert(credential)).isInstanceOf(ConflictException.class);
    assertThat(catalog.credentials().find("c1")).contains(credential);
    Credential validated = credential.validatedAt(T0.plusSeconds(5));
    catalog.credentials().update(validated);
    assertThat(catalog.credentials().list()).containsExactly(validated);
    catalog.credentials().delete("c1");
    catalog.credentials().delete("c1");
    assertThat(catalog.credentials().list()).isEmpty();
  }

  @Test
  void discoveryAndBackupsWriteTheirOwnRepositoryFieldsOnly() {
    Repository before = repository("org1", "r1", RepositoryState.PROTECTED);
    catalog.repositories().saveDiscovered(List.of(before, repository("org1", "r2", RepositoryState.EXCLUDED),
        repository("org2", "r1", RepositoryState.PROTECTED)));
    catalog.repositories().recordSnapshot(before.key(), "20260501T100000Z-00000001", T0, null);
    Repository rediscovered = new Repository("org1", "r1", "p1", "Team", "renamed", RepositoryKind.GIT,
        RepositoryState.DELETED_AT_SOURCE, before.remoteUrl(), T0.plusSeconds(60), null, null, null, null, null);
    catalog.repositories().saveDiscovered(List.of(rediscovered));
    Repository after = catalog.repositories().find("org1", "r1").orElseThrow();
    assertThat(after.name()).isEqualTo("renamed");
    assertThat(after.state()).isEqualTo(RepositoryState.DELETED_AT_SOURCE);
    assertThat(after.lastSnapshotId()).isEqualTo("20260501T100000Z-00000001");
    assertThat(after.lastSnapshotAt()).isEqualTo(T0);
    assertThat(catalog.repositories().list("org1")).extracting(Repository::id).containsExactlyInAnyOrder("r1", "r2");
  }

  @Test
  void manyRepositoriesAreSavedAtOnce() {
    List<Repository> repositories = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      repositories.add(repository("org1", "r" + i, RepositoryState.PROTECTED));
    }
    catalog.repositories().saveDiscovered(repositories);
    assertThat(catalog.repositories().list("org1")).hasSize(230);
  }

  @Test
  void runsComeNewestFirstAndAreCreatedOnce() {
    CountingIds ids = new CountingIds();
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Run run = Run.queued("org1", RunIds.next(T0.plusSeconds(i), ids), Trigger.SCHEDULE, T0, RunSelection.EVERYTHING);
      assertThat(catalog.runs().createIfAbsent(run)).isTrue();
      assertThat(catalog.runs().createIfAbsent(run)).isFalse();
      runIds.add(0, run.id());
    }
    assertThat(catalog.runs().newest("org1", 3)).extracting(Run::id).containsExactlyElementsOf(runIds.subList(0, 3));
    assertThat(catalog.runs().newest("org2", 3)).isEmpty();
  }

  @Test
  void aRunsEndIsRecordedBesideItsOtherFieldsAndNotForARunThatIsGone() {
    Run discovered = Run.queued("org1", RunIds.next(T0, new CountingIds()), Trigger.SCHEDULE, T0,
        RunSelection.EVERYTHING).discovered(T0.plusSeconds(1), 2);
    catalog.runs().createIfAbsent(discovered);
    RunEnded ended = new RunEnded(RunStatus.PARTIALLY_SUCCEEDED, new RunReport.Counts(2, 0, 0, 1, 1, 0),
        T0.plusSeconds(9));

    catalog.runs().recordEnd("org1", discovered.id(), ended);
    catalog.runs().recordEnd("org1", "20260101T000000Z-gone0000", ended);

    assertThat(catalog.runs().find("org1", discovered.id())).contains(discovered.withEnded(ended));
    assertThat(catalog.runs().find("org1", "20260101T000000Z-gone0000")).isEmpty();
  }

  @Test
  void aRunRoundTripsEveryField() {
    Run queued = Run.queued("org1", RunIds.next(T0, new CountingIds()), Trigger.MANUAL, null,
        new RunSelection(List.of("Team"), List.of("api")));
    catalog.runs().createIfAbsent(queued);
    assertThat(catalog.runs().find("org1", queued.id())).contains(queued);
    Run failed = queued.discovered(T0.plusSeconds(1), 3).failed(T0.plusSeconds(2), "listing failed");
    catalog.runs().update(failed);
    assertThat(catalog.runs().find("org1", queued.id())).contains(failed);
  }

  @Test
  void addingResultsAgainKeepsProgress() {
    String runId = RunIds.next(T0, new CountingIds());
    List<RepositoryResult> queued = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      queued.add(RepositoryResult.queued(runId, repository("org1", "r" + i, RepositoryState.PROTECTED)));
    }
    catalog.runs().addResultsIfAbsent(queued);
    RepositoryResult done = queued.get(7).running(1, T0)
        .succeeded(T0.plusSeconds(3),
            new SnapshotSummary("20260501T100000Z-00000001", 4, "c".repeat(40), 1234, 56, null, null, false, null));
    catalog.runs().saveResult(done);
    catalog.runs().addResultsIfAbsent(queued);
    assertThat(catalog.runs().results(runId)).hasSize(150);
    assertThat(catalog.runs().result(runId, "r7")).contains(done);
    assertThat(catalog.runs().result(runId, "missing")).isEmpty();
  }

  @Test
  void aResultIsClaimedForDispatchOnceUntilItsUnstartedClaimTimesOut() {
    String runId = RunIds.next(T0, new CountingIds());
    RepositoryResult queued = RepositoryResult.queued(runId, repository("org1", "r1", RepositoryState.PROTECTED));
    catalog.runs().addResultsIfAbsent(List.of(queued));
    Instant timeout = T0.minusSeconds(900);
    assertThat(catalog.runs().claimDispatch(runId, "r1", T0, timeout)).isTrue();
    assertThat(catalog.runs().claimDispatch(runId, "r1", T0.plusSeconds(1), timeout)).isFalse();
    assertThat(catalog.runs().result(runId, "r1")).contains(queued.dispatched(T0));
    assertThat(catalog.runs().claimDispatch(runId, "missing", T0, timeout)).isFalse();

    // never started a quarter of an hour later: its message was lost, so it can be claimed again
    Instant later = T0.plusSeconds(1000);
    assertThat(catalog.runs().claimDispatch(runId, "r1", later, later.minusSeconds(900))).isTrue();
    assertThat(catalog.runs().result(runId, "r1")).contains(queued.dispatched(later));
    catalog.runs().saveResult(queued.dispatched(later).running(1, later));
    Instant muchLater = later.plusSeconds(3600);
    assertThat(catalog.runs().claimDispatch(runId, "r1", muchLater, muchLater.minusSeconds(900))).isFalse();
  }

  @Test
  void aRunAnswersWhatIsInFlightAndWhatAwaitsDispatchReadingOnlyThose() {
    String runId = RunIds.next(T0, new CountingIds());
    List<RepositoryResult> queued = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queued.add(RepositoryResult.queued(runId, repository("org1", "r" + (char) ('a' + i), RepositoryState.PROTECTED)));
    }
    catalog.runs().addResultsIfAbsent(queued);
    Instant now = T0.plusSeconds(2000);
    Instant unsentBefore = now.minusSeconds(900);
    catalog.runs().saveResult(queued.get(0).dispatched(T0).running(1, T0).succeeded(T0,
        new SnapshotSummary("20260501T100000Z-00000001", 4, "c".repeat(40), 1, 1, null, null, false, null)));
    catalog.runs().saveResult(queued.get(1).dispatched(T0).running(1, T0));
    catalog.runs().saveResult(queued.get(2).dispatched(T0).running(1, T0).retrying("timed out"));
    catalog.runs().saveResult(queued.get(3).dispatched(now.minusSeconds(10)));
    catalog.runs().saveResult(queued.get(4).dispatched(T0)); // claimed, never sent: awaits dispatch again
    catalog.runs().saveResult(queued.get(5).dispatched(T0).running(1, T0).failed(T0, "gone"));

    assertThat(catalog.runs().inFlight(runId, unsentBefore)).extracting(RepositoryResult::repositoryId)
        .containsExactlyInAnyOrder("rb", "rc", "rd");
    assertThat(catalog.runs().awaitingDispatch(runId, unsentBefore, 3)).extracting(RepositoryResult::repositoryId)
        .containsExactly("re", "rg", "rh");
    assertThat(catalog.runs().awaitingDispatch(runId, unsentBefore, 100)).hasSize(7);
    assertThat(catalog.runs().allFinished(runId)).isFalse();
    for (RepositoryResult result : catalog.runs().results(runId)) {
      catalog.runs().saveResult(result.failed(now, "stopped"));
    }
    assertThat(catalog.runs().allFinished(runId)).isTrue();
    assertThat(catalog.runs().inFlight(runId, unsentBefore)).isEmpty();
    assertThat(catalog.runs().awaitingDispatch(runId, unsentBefore, 3)).isEmpty();
  }

  @Test
  void aResultIsWithdrawnUnlessItRunsOrSucceeded() {
    String runId = RunIds.next(T0, new CountingIds());
    List<RepositoryResult> queued = new ArrayList<>();
    for (String id : List.of("r1", "r2", "r3", "r4", "r5")) {
      queued.add(RepositoryResult.queued(runId, repository("org1", id, RepositoryState.PROTECTED)));
    }
    catalog.runs().addResultsIfAbsent(queued);
    catalog.runs().claimDispatch(runId, "r2", T0, T0.minusSeconds(900));
    catalog.runs().saveResult(queued.get(2).dispatched(T0).running(1, T0));
    catalog.runs().saveResult(queued.get(3).dispatched(T0).running(1, T0).succeeded(T0,
        new SnapshotSummary("20260501T100000Z-00000001", 4, "c".repeat(40), 1, 1, null, null, false, null)));
    catalog.runs().saveResult(queued.get(4).dispatched(T0).running(1, T0).failed(T0, "not found"));

    assertThat(catalog.runs().withdraw(runId, "r1")).isTrue();
    assertThat(catalog.runs().withdraw(runId, "r2")).isTrue();
    assertThat(catalog.runs().withdraw(runId, "r3")).isFalse();
    assertThat(catalog.runs().withdraw(runId, "r4")).isFalse();
    assertThat(catalog.runs().withdraw(runId, "r5")).isTrue();
    assertThat(catalog.runs().withdraw(runId, "r1")).isFalse();
    assertThat(catalog.runs().withdraw(runId, "missing")).isFalse();
    assertThat(catalog.runs().results(runId)).extracting(RepositoryResult::repositoryId).containsExactly("r3", "r4");
    assertThat(catalog.runs().claimDispatch(runId, "r1", T0, T0.minusSeconds(900))).isFalse();
  }

  @Test
  void ofManyConcurrentClaimsOfOneResultExactlyOneWins() throws Exception {
    String runId = RunIds.next(T0, new CountingIds());
    catalog.runs().addResultsIfAbsent(
        List.of(RepositoryResult.queued(runId, repository("org1", "r1", RepositoryState.PROTECTED))));
    List<Callable<Boolean>> claimers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Instant now = T0.plusMillis(i);
      claimers.add(() -> catalog.runs().claimDispatch(runId, "r1", now, T0.minusSeconds(900)));
    }
    assertThat(winners(claimers)).isEqualTo(1);
    assertThat(catalog.runs().result(runId, "r1").orElseThrow().dispatchedAt()).isNotNull();
  }

  @Test
  void snapshotsComeNewestFirstAndDeleteIdempotently() {
    RepositoryKey key = new RepositoryKey("org1", "r1");
    // ids of the second-only form made before, and two runs of one second named to the millisecond
    for (String id : List.of("20260501T100000Z-00000001", "20260503T100000.200Z-00000000", "20260502T100000Z-00000002",
        "20260503T100000.100Z-ffffffff")) {
      catalog.snapshots().save(new Snapshot("org1", "r1", id, "run", T0, 3, "d".repeat(40), 99, null, null));
    }
    catalog.snapshots()
        .save(new Snapshot("org1", "r2", "20260509T100000Z-00000009", "run", T0, 3, null, 0, null, null));
    assertThat(catalog.snapshots().list(key)).extracting(Snapshot::id).containsExactly("20260503T100000.200Z-00000000",
        "20260503T100000.100Z-ffffffff", "20260502T100000Z-00000002", "20260501T100000Z-00000001");
    Snapshot one = catalog.snapshots().find(key, "20260502T100000Z-00000002").orElseThrow();
    assertThat(one).isEqualTo(
        new Snapshot("org1", "r1", "20260502T100000Z-00000002", "run", T0, 3, "d".repeat(40), 99, null, null));
    catalog.snapshots().delete(key, one.id());
    catalog.snapshots().delete(key, one.id());
    assertThat(catalog.snapshots().list(key)).hasSize(3);
  }

  @Test
  void aVerificationIsRecordedAndALaterIntactOneClearsTheError() {
    RepositoryKey key = new RepositoryKey("org1", "r1");
    String id = "20260501T100000Z-00000001";
    Snapshot taken = new Snapshot("org1", "r1", id, "run", T0, 3, "d".repeat(40), 99, null, null);
    catalog.snapshots().save(taken);
    Instant later = T0.plusSeconds(3600);
    catalog.snapshots().recordVerification(key, id, later, "1 damaged object(s) in pack(s) p.pack: bad zlib stream");
    assertThat(catalog.snapshots().find(key, id).orElseThrow())
        .isEqualTo(taken.verified(later, "1 damaged object(s) in pack(s) p.pack: bad zlib stream"));
    catalog.snapshots().save(taken);
    assertThat(catalog.snapshots().find(key, id).orElseThrow().verifiedAt())
        .as("a redelivered backup keeps the verification").isEqualTo(later);
    catalog.snapshots().recordVerification(key, id, later.plusSeconds(60), null);
    assertThat(catalog.snapshots().find(key, id).orElseThrow()).isEqualTo(taken.verified(later.plusSeconds(60), null));
    catalog.snapshots().recordVerification(key, "20260502T100000Z-00000002", later, null);
    assertThat(catalog.snapshots().list(key)).as("a forgotten snapshot stays forgotten").hasSize(1);

    Repository before = repository("org1", "r1", RepositoryState.PROTECTED);
    catalog.repositories().saveDiscovered(List.of(before));
    IntactSnapshot older = new IntactSnapshot("20260430T100000Z-00000009", T0.minusSeconds(60));
    catalog.repositories().recordVerification(before.key(), later, "1 damaged snapshot(s), newest " + id, older);
    catalog.repositories().saveDiscovered(List.of(before));
    catalog.repositories().recordSnapshot(before.key(), id, T0, null);
    Repository damaged = catalog.repositories().find("org1", "r1").orElseThrow();
    assertThat(damaged.damage()).as("discovery and backups keep it").isEqualTo("1 damaged snapshot(s), newest " + id);
    assertThat(damaged.verifiedAt()).isEqualTo(later);
    assertThat(damaged.intactSnapshot()).as("discovery and backups keep it").isEqualTo(older);
    catalog.repositories().recordVerification(before.key(), later.plusSeconds(60), null, new IntactSnapshot(id, later));
    Repository healed = catalog.repositories().find("org1", "r1").orElseThrow();
    assertThat(healed.damage()).isNull();
    assertThat(healed.verifiedAt()).isEqualTo(later.plusSeconds(60));
    assertThat(healed.intactSnapshot()).isEqualTo(new IntactSnapshot(id, later));
    String twin = "20260503T100000Z-00000003";
    catalog.repositories().recordSnapshot(before.key(), twin, T0.plusSeconds(7200), new IntactSnapshot(twin, later));
    assertThat(catalog.repositories().find("org1", "r1").orElseThrow().intactSnapshot())
        .as("a snapshot that took its twin's verification").isEqualTo(new IntactSnapshot(twin, later));
    catalog.repositories().recordVerification(before.key(), later.plusSeconds(120), "2 damaged snapshot(s)", null);
    assertThat(catalog.repositories().find("org1", "r1").orElseThrow().intactSnapshot()).isNull();
  }

  @Test
  void restoresRoundTrip() {
    Restore restore = new Restore("org1", "rs1", "r1", "20260501T100000Z-00000001",
        new RestoreTarget("org2", "Team", "api-restored", true), RestoreStatus.QUEUED, T0, null, null, null);
    catalog.restores().insert(restore);
    assertThatThrownBy(() -> catalog.restores().insert(restore)).isInstanceOf(ConflictException.class);
    Restore done = restore.running().succeeded(T0.plusSeconds(9), "https://dev.azure.com/org2/Team/_git/api-restored");
    catalog.restores().update(done);
    assertThat(catalog.restores().find("org1", "rs1")).contains(done);
    assertThat(catalog.restores().find("org2", "rs1")).isEmpty();
  }

  @Test
  void oneOfManyDeliveriesClaimsAMetadataRestoreUntilItsClaimRunsOut() throws Exception {
    MetadataRestoreRecords records = catalog.metadataRestores();
    records.insert(MetadataRestoreJob.queued("org1", "mr1", "p1", "20260501T100000Z-00000001", "org2", "Team",
        OnConflict.RENAME, T0));
    Instant until = T0.plusSeconds(1860);
    List<Callable<Boolean>> deliveries = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String claimant = "delivery" + i;
      deliveries.add(() -> records.claim("org1", "mr1", claimant, T0, until).isPresent());
    }
    assertThat(winners(deliveries)).isEqualTo(1);
    MetadataRestoreJob claimed = records.find("org1", "mr1").orElseThrow();
    assertThat(claimed.status()).isEqualTo(RestoreStatus.RUNNING);
    assertThat(claimed.claimedUntil()).isEqualTo(until);
    assertThat(claimed.onConflict()).isEqualTo(OnConflict.RENAME);

    assertThat(records.claim("org1", "mr1", "later", until.minusSeconds(1), until.plusSeconds(60))).isEmpty();
    assertThat(records.claim("org1", "mr1", "after-a-stop", until, until.plusSeconds(1860))).isPresent();
    assertThat(records.updateClaimed(claimed.failed(until, "stopped", Map.of()), claimed.claimedBy()))
        .as("the stopped delivery lost its claim").isFalse();
    MetadataRestoreJob running = records.find("org1", "mr1").orElseThrow();
    RestoreReport report = new RestoreReport(Map.of("workItem", 3), Map.of(), List.of("a note"), List.of(),
        List.of("team Team: left as it is"), List.of("query Bugs → Bugs (restored)"));
    assertThat(records.updateClaimed(running.succeeded(until.plusSeconds(5), report), "after-a-stop")).isTrue();
    MetadataRestoreJob done = records.find("org1", "mr1").orElseThrow();
    assertThat(done).isEqualTo(running.succeeded(until.plusSeconds(5), report));
    assertThat(records.claim("org1", "mr1", "late", until.plusSeconds(9000), until.plusSeconds(9999))).isEmpty();
  }

  @Test
  void twoConcurrentSchedulerTicksStartOneRunPerSlot() throws Exception {
    World world = new World("2026-01-15T00:30:00Z", catalog);
    world.registerContoso(SchedulerTest.hours("UTC", 1));
    world.clock.set(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(SchedulerTest.tickConcurrently(world, 10)).hasSize(1);
    world.clock.set(Instant.parse("2026-01-16T01:00:00Z"));
    assertThat(SchedulerTest.tickConcurrently(world, 10)).hasSize(2);
  }

  @Test
  void aWholeRunRecordsItsResultsAndSnapshots() {
    World world = new World("2026-05-01T10:00:00Z", catalog);
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.addRepository(World.CONTOSO, "Team", "Team.wiki", RepositoryKind.WIKI);
    Organization organization = world.registerContoso(null);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.counts().succeeded()).isEqualTo(2);
  }
}
