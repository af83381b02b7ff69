package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.Observed;
import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput.PatternsInput;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.SnapshotDetails;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.RunRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupRunTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final SourceRepository web = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
  private final SourceRepository wiki =
      world.source.addRepository(World.CONTOSO, "Team", "Team.wiki", RepositoryKind.WIKI);

  private RunReport runNow(Organization organization) {
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
    world.drainQueues();
    return world.bunker.runs().get(organization.id(), queued.id());
  }

  @Test
  void aListOfRunsReadsTheResultsOfNoRunThatEndedAndShowsItAsItsResultsDo() {
    Catalog memory = InMemoryCatalog.create();
    List<String> resultsRead = new ArrayList<>();
    RunRecords counting = Observed.calls(RunRecords.class, memory.runs(), (method, args) -> {
      if (method.equals("results")) {
        resultsRead.add((String) args[0]);
      }
    });
    World world = new World("2026-05-01T10:00:00Z", new Catalog(memory.organizations(), memory.credentials(),
        memory.repositories(), counting, memory.snapshots(), memory.restores(), memory.metadataRestores()));
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    SourceRepository broken = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
    Organization organization = world.registerContoso(null);
    world.vault.failBackupsOf(broken.remoteUrl(), new SourceException(SourceException.Reason.NOT_FOUND,
        "repository web is gone"));
    String ended = world.bunker.runs().startNow(organization.id(), null).id();
    world.drainQueues();
    world.clock.advance(Duration.ofHours(1));
    String running = world.bunker.runs().startNow(organization.id(), null).id();
    RunReport computed = RunReport.of(memory.runs().find(organization.id(), ended).orElseThrow(),
        memory.runs().results(ended), false);
    resultsRead.clear();

    List<RunReport> listed = world.bunker.runs().newest(organization.id(), 10);

    assertThat(resultsRead).as("only the run still going is counted from its results").containsExactly(running);
    assertThat(listed).extracting(RunReport::id).containsExactly(running, ended);
    assertThat(listed.get(1)).isEqualTo(computed);
    assertThat(computed.status()).isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
  }

  @Test
  void aRunBacksUpEveryRepositoryAndWiki() {
    Organization organization = world.registerContoso(null);
    RunReport run = runNow(organization);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(run.counts()).isEqualTo(new RunReport.Counts(3, 0, 0, 3, 0, 0));
    assertThat(run.finishedAt()).isNotNull();
    String snapshotId = SnapshotIds.forRun(run.id());
    assertThat(run.results()).extracting(RepositoryResult::snapshotId).containsOnly(snapshotId);
    assertThat(world.bunker.inventory().repositories(organization.id()))
        .extracting(Repository::name, Repository::state, Repository::lastSnapshotId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api", RepositoryState.PROTECTED, snapshotId),
            org.assertj.core.groups.Tuple.tuple("Team.wiki", RepositoryState.PROTECTED, snapshotId),
            org.assertj.core.groups.Tuple.tuple("web", RepositoryState.PROTECTED, snapshotId));
    SnapshotDetails details = world.bunker.inventory().snapshot(organization.id(), api.id(), snapshotId);
    assertThat(details.refs()).extracting(SnapshotRef::name).containsExactly("refs/heads/main");
    assertThat(world.bunker.runs().newest(organization.id(), 10)).extracting(RunReport::id).containsExactly(run.id());
  }

  @Test
  void theSameBackupMessageTwiceMakesOneSnapshot() {
    Organization organization = world.registerContoso(null);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    List<WorkItem.BackupRepository> backups = world.queue.take(WorkItem.BackupRepository.class);
    backups.forEach(work -> world.bunker.backups().backup(work, 1));
    backups.forEach(work -> world.bunker.backups().backup(work, 2));
    assertThat(world.vault.fetches()).isEqualTo(3);
    assertThat(world.bunker.inventory().snapshots(organization.id(), api.id())).hasSize(1);
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aSecondMessageForARepositoryBeingBackedUpIsDroppedAndARedeliveryStillRuns() {
    Organization organization = world.registerContoso(null);
    world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    WorkItem.BackupRepository work = world.queue.take(WorkItem.BackupRepository.class).get(0);
    // one delivery is running the backup when a duplicate (from a redelivered discovery) arrives
    world.catalog.runs().saveResult(world.catalog.runs().result(work.runId(), work.repositoryId()).orElseThrow()
        .running(1, world.clock.instant()));
    world.bunker.backups().backup(work, 1);
    assertThat(world.vault.fetches()).isZero();
    assertThat(world.queue.all(WorkItem.BackupRepository.class)).isEmpty();

    // the running delivery died: its redelivery comes with a higher count and runs
    world.bunker.backups().backup(work, 2);
    assertThat(world.vault.fetches()).isEqualTo(1);
    assertThat(world.catalog.runs().result(work.runId(), work.repositoryId()).orElseThrow().status())
        .isEqualTo(ResultStatus.SUCCEEDED);
  }

  @Test
  void aRedeliveredDiscoveryStartsNoSecondSetOfResults() {
    Organization organization = world.registerContoso(null);
    world.bunker.runs().startNow(organization.id(), null);
    WorkItem.Discover discover = world.queue.take(WorkItem.Discover.class).get(0);
    world.bunker.discovery().discover(discover, 1);
    world.queue.take(WorkItem.BackupRepository.class).forEach(work -> world.bunker.backups().backup(work, 1));
    world.bunker.discovery().discover(discover, 2);
    assertThat(world.queue.all(WorkItem.BackupRepository.class)).isEmpty();
    assertThat(world.catalog.runs().results(discover.runId())).hasSize(3)
        .allMatch(result -> result.status() == ResultStatus.SUCCEEDED);
  }

  @Test
  void aFailingRepositoryIsRetriedThenRecordedWithoutFailingTheOthers() {
    Organization organization = world.registerContoso(null);
    world.vault.failBackupsOf(web.remoteUrl(),
        new IllegalStateException("fetch of " + web.remoteUrl() + " failed with token " + World.TOKEN));
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    List<WorkItem.BackupRepository> backups = world.queue.take(WorkItem.BackupRepository.class);
    WorkItem.BackupRepository webBackup =
        backups.stream().filter(work -> work.repositoryId().equals(web.id())).findFirst().orElseThrow();
    backups.stream().filter(work -> work != webBackup).forEach(work -> world.bunker.backups().backup(work, 1));

    for (int attempt = 1; attempt < World.MAX_ATTEMPTS; attempt++) {
      int delivery = attempt;
      assertThatThrownBy(() -> world.bunker.backups().backup(webBackup, delivery))
          .isInstanceOf(RetryLaterException.class).hasMessageNotContaining(World.TOKEN);
      assertThat(world.bunker.runs().get(organization.id(), queued.id()).status()).isEqualTo(RunStatus.RUNNING);
    }
    world.bunker.backups().backup(webBackup, World.MAX_ATTEMPTS);

    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
    RepositoryResult failed = run.results().stream()
        .filter(result -> result.repositoryId().equals(web.id())).findFirst().orElseThrow();
    assertThat(failed.status()).isEqualTo(ResultStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(World.MAX_ATTEMPTS);
    assertThat(failed.error()).contains("fetch of").doesNotContain(World.TOKEN).contains("***");
  }

  @Test
  void aPoisonedMessageMarksTheRepositoryFailedWithTheLastError() {
    Organization organization = world.registerContoso(null);
    world.vault.failBackupsOf(api.remoteUrl(), new IllegalStateException("connection reset"));
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    for (WorkItem.BackupRepository work : world.queue.take(WorkItem.BackupRepository.class)) {
      try {
        world.bunker.backups().backup(work, 1);
      } catch (RetryLaterException e) {
        world.bunker.backups().giveUp(work);
      }
    }
    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
    assertThat(run.results()).filteredOn(result -> result.status() == ResultStatus.FAILED)
        .singleElement().extracting(RepositoryResult::error).asString()
        .contains("gave up after 5 attempts").contains("connection reset");
  }

  @Test
  void aCredentialRejectedDuringBackupFailsAtOnce() {
    Organization organization = world.registerContoso(null);
    world.vault.failBackupsOf(api.remoteUrl(),
        new SourceException(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED, "PAT expired"));
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.counts().failed()).isEqualTo(1);
    assertThat(run.results()).filteredOn(result -> result.status() == ResultStatus.FAILED)
        .singleElement().extracting(RepositoryResult::attempts).isEqualTo(1);
  }

  @Test
  void everyRepositoryFailingFailsTheRun() {
    Organization organization = world.registerContoso(null);
    for (SourceRepository repository : List.of(api, web, wiki)) {
      world.vault.failBackupsOf(repository.remoteUrl(),
          new SourceException(SourceException.Reason.ACCESS_DENIED, "no"));
    }
    assertThat(runNow(organization).status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void aDisabledRepositoryIsRecordedAndDoesNotFailTheRun() {
    world.source.replace(World.CONTOSO, web, new SourceRepository(web.id(), web.projectId(), web.project(),
        web.name(), web.kind(), web.remoteUrl(), true, false, null));
    Organization organization = world.registerContoso(null);
    RunReport run = runNow(organization);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.counts().total()).isEqualTo(2);
    assertThat(world.catalog.repositories().find(organization.id(), web.id()).orElseThrow().state())
        .isEqualTo(RepositoryState.DISABLED);
  }

  @Test
  void aRepositoryGitCannotReachFailsAloneWithTheReasonAndTheOthersAreBackedUp() {
    String reason = "its clone URL https://evil.example/Team/_git/web is not on the allow-list";
    world.source.replace(World.CONTOSO, web, new SourceRepository(web.id(), web.projectId(), web.project(),
        web.name(), web.kind(), null, false, false, reason));
    Organization organization = world.registerContoso(null);
    RunReport run = runNow(organization);
    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
    assertThat(run.results()).filteredOn(r -> r.repositoryId().equals(web.id())).singleElement()
        .satisfies(r -> {
          assertThat(r.status()).isEqualTo(ResultStatus.FAILED);
          assertThat(r.error()).isEqualTo(reason);
        });
    assertThat(run.results()).filteredOn(r -> !r.repositoryId().equals(web.id()))
        .extracting(RepositoryResult::status).containsOnly(ResultStatus.SUCCEEDED).hasSize(2);
  }

  @Test
  void aRepositoryDeletedAtTheSourceKeepsItsBackups() {
    Organization organization = world.registerContoso(null);
    runNow(organization);
    world.source.remove(World.CONTOSO, web);
    world.clock.advance(java.time.Duration.ofHours(1));
    RunReport second = runNow(organization);
    assertThat(second.counts().total()).isEqualTo(2);
    Repository gone = world.catalog.repositories().find(organization.id(), web.id()).orElseThrow();
    assertThat(gone.state()).isEqualTo(RepositoryState.DELETED_AT_SOURCE);
    assertThat(gone.lastSnapshotId()).isNotNull();
    assertThat(world.bunker.inventory().snapshots(organization.id(), web.id())).hasSize(1);
  }

  @Test
  void withoutAutoAddNewRepositoriesStayExcluded() {
    Organization organization = world.registerContoso(
        aPolicy().autoAddingNewRepositories(false).build());
    runNow(organization);
    SourceRepository added = world.source.addRepository(World.CONTOSO, "Team", "new", RepositoryKind.GIT);
    world.clock.advance(java.time.Duration.ofHours(1));
    RunReport second = runNow(organization);
    assertThat(second.counts().total()).isEqualTo(3);
    assertThat(world.catalog.repositories().find(organization.id(), added.id()).orElseThrow().state())
        .isEqualTo(RepositoryState.EXCLUDED);
  }

  @Test
  void patternsAndWikisNarrowWhatIsBackedUp() {
    Organization organization = world.registerContoso(
        aPolicy().excluding(new PatternsInput(null, List.of("w*"))).includingWikis(false).build());
    RunReport run = runNow(organization);
    assertThat(run.results()).extracting(RepositoryResult::repository).containsExactly("api");
  }

  @Test
  void aManualRunCanBeNarrowedToSomeRepositories() {
    Organization organization = world.registerContoso(null);
    RunReport queued = world.bunker.runs().startNow(organization.id(), new RunSelection(null, List.of("WEB")));
    world.drainQueues();
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).results())
        .extracting(RepositoryResult::repository).containsExactly("web");
  }

  @Test
  void anUnreachableSourceIsRetriedThenFailsTheRunWithTheReason() {
    Organization organization = world.registerContoso(null);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    WorkItem.Discover discover = world.queue.take(WorkItem.Discover.class).get(0);
    world.source.failNextCalls(World.MAX_ATTEMPTS);
    assertThatThrownBy(() -> world.bunker.discovery().discover(discover, 1)).isInstanceOf(SourceException.class);
    world.bunker.discovery().discover(discover, World.MAX_ATTEMPTS);
    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains("503");
  }

  @Test
  void noMoreThanTheConcurrencyOfARunAreInFlight() {
    for (int i = 0; i < 4; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "extra" + i, RepositoryKind.GIT);
    }
    Organization organization = world.registerContoso(aPolicy().concurrency(2).build());
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    int rounds = 0;
    List<WorkItem.BackupRepository> inFlight;
    while (!(inFlight = world.queue.take(WorkItem.BackupRepository.class)).isEmpty()) {
      assertThat(inFlight).hasSizeLessThanOrEqualTo(2);
      assertThat(world.catalog.runs().results(queued.id()).stream().filter(RepositoryResult::isInFlight))
          .hasSizeLessThanOrEqualTo(2);
      inFlight.forEach(work -> world.bunker.backups().backup(work, 1));
      rounds++;
    }
    assertThat(rounds).isEqualTo(4);
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).counts().succeeded()).isEqualTo(7);
  }

  @Test
  void theSchedulerRestartsARunWhoseChainOfBackupsBroke() {
    Organization organization = world.registerContoso(aPolicy().concurrency(1).build());
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    world.queue.take(WorkItem.BackupRepository.class).forEach(work -> world.bunker.backups().backup(work, 1));
    // the next message is lost, and its repository given up: nothing is in flight any more
    world.queue.take(WorkItem.BackupRepository.class);
    RepositoryResult lost = world.catalog.runs().results(queued.id()).stream()
        .filter(RepositoryResult::isInFlight).findFirst().orElseThrow();
    world.catalog.runs().saveResult(lost.failed(world.clock.instant(), "worker died"));

    world.bunker.scheduler().tick();
    world.drainQueues();

    assertThat(world.bunker.runs().get(organization.id(), queued.id()).status())
        .isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
  }

  @Test
  void unknownRunsAndBadTopsAreRejected() {
    Organization organization = world.registerContoso(null);
    assertThatThrownBy(() -> world.bunker.runs().get(organization.id(), "../x")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> world.bunker.runs().newest(organization.id(), 0)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> world.bunker.runs().startNow("nope", null)).isInstanceOf(NotFoundException.class);
  }
}
