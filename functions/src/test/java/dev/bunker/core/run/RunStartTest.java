package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.Observed;
import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.RunRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hops before a run's first backup: a run of an organization whose repositories are already
 * catalogued sends their backups at its start, so the first backup waits for one queue hop and
 * no invocation (before: the discover message's hop, the discover invocation, then the backup's
 * hop); discovery then adds only what changed.
 */
class RunStartTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final SourceRepository web = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
  private final SourceRepository wiki =
      world.source.addRepository(World.CONTOSO, "Team", "Team.wiki", RepositoryKind.WIKI);

  /** An organization backed up once, so that its repositories are in the catalog. */
  private Organization knownOrganization() {
    Organization organization = world.registerContoso(aPolicy().concurrency(2).build());
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    world.clock.advance(Duration.ofHours(1));
    return organization;
  }

  /** Everything sent from now on. */
  private List<WorkItem> sentSince(int before) {
    List<WorkItem> sent = world.queue.sent();
    return sent.subList(before, sent.size());
  }

  private void discover() {
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
  }

  private void backUp() {
    world.queue.take(WorkItem.BackupRepository.class).forEach(work -> world.bunker.backups().backup(work, 1));
  }

  private Map<String, Long> backupMessagesPerRepository(String runId, int sentBefore) {
    return sentSince(sentBefore).stream().filter(WorkItem.BackupRepository.class::isInstance)
        .map(WorkItem.BackupRepository.class::cast).filter(work -> work.runId().equals(runId))
        .collect(Collectors.groupingBy(WorkItem.BackupRepository::repositoryId, Collectors.counting()));
  }

  @Test
  void aRunOfAKnownOrganizationSendsItsFirstBackupsBeforeItsDiscovery() {
    Organization organization = knownOrganization();
    int before = world.queue.sent().size();
    int listings = world.source.calls();

    RunReport queued = world.bunker.runs().startNow(organization.id(), null);

    // sent by the API call itself, up to the policy's concurrency; the discovery comes last
    assertThat(sentSince(before)).extracting(item -> item.getClass().getSimpleName())
        .containsExactly("BackupRepository", "BackupRepository", "Discover");
    assertThat(world.source.calls()).isEqualTo(listings);
    backUp();
    assertThat(world.catalog.runs().results(queued.id()))
        .filteredOn(result -> result.status() == ResultStatus.SUCCEEDED).hasSize(2);
    world.drainQueues();

    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.counts()).isEqualTo(new RunReport.Counts(3, 0, 0, 3, 0, 0));
    assertThat(backupMessagesPerRepository(queued.id(), before)).hasSize(3)
        .allSatisfy((repository, sent) -> assertThat(sent).isOne());
  }

  @Test
  void aManualRunWhoseDiscoveryCannotBeQueuedFailsSayingWhyAndTakesBackItsBackups() {
    AtomicBoolean queueDown = new AtomicBoolean();
    World world = new World("2026-05-01T10:00:00Z", InMemoryCatalog.create(), queue -> item -> {
      if (queueDown.get() && item instanceof WorkItem.Discover) {
        throw new UnavailableException("the queue did not answer");
      }
      queue.enqueue(item);
    });
    for (int i = 0; i < 3; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "repo-" + i, RepositoryKind.GIT);
    }
    Organization organization = world.registerContoso(aPolicy().concurrency(2).build());
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    world.clock.advance(Duration.ofHours(1));
    queueDown.set(true);

    assertThatThrownBy(() -> world.bunker.runs().startNow(organization.id(), null))
        .isInstanceOf(UnavailableException.class);

    queueDown.set(false);
    RunReport failed = world.bunker.runs().newest(organization.id(), 1).get(0);
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failed.error()).isEqualTo("its discovery could not be queued: the queue did not answer");
    assertThat(failed.counts().total()).as("none had started: all taken back, the two sent among them")
        .isZero();
    assertThat(world.queue.all(WorkItem.BackupRepository.class)).hasSize(2);
    world.drainQueues();
    RunReport after = world.bunker.runs().get(organization.id(), failed.id());
    assertThat(after.counts().total()).as("a message sent finds its backup taken back").isZero();
    assertThat(after.status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void aScheduledRunStartedAgainAfterItsQueueingOnlySeemedToFailAddsAndSendsNothing() {
    AtomicBoolean ambiguous = new AtomicBoolean();
    World world = new World("2026-05-01T10:00:00Z", InMemoryCatalog.create(), queue -> item -> {
      queue.enqueue(item);
      if (item instanceof WorkItem.Discover && ambiguous.getAndSet(false)) {
        throw new UnavailableException("no answer (the message went in)");
      }
    });
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    Organization organization = world.registerContoso(aPolicy().everyHours(1).build());
    world.clock.set(Instant.parse("2026-05-01T11:00:00Z"));
    ambiguous.set(true);
    assertThat(world.bunker.scheduler().tick()).as("the start failed: the slot is given back").isZero();
    world.drainQueues();
    RunReport ended = world.bunker.runs().newest(organization.id(), 1).get(0);
    int sent = world.queue.sent().size();

    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);

    assertThat(world.queue.sent()).as("nothing sent again").hasSize(sent);
    assertThat(world.bunker.runs().get(organization.id(), ended.id()).counts()).isEqualTo(ended.counts());
    assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void theDiscoveryAddsOnlyTheResultsTheStartDidNot() {
    Catalog memory = InMemoryCatalog.create();
    List<Integer> added = new ArrayList<>();
    RunRecords counting = Observed.calls(RunRecords.class, memory.runs(), (method, args) -> {
      if (method.equals("addResultsIfAbsent")) {
        added.add(((Collection<?>) args[0]).size());
      }
    });
    World world = new World("2026-05-01T10:00:00Z", new Catalog(memory.organizations(), memory.credentials(),
        memory.repositories(), counting, memory.snapshots(), memory.restores(), memory.metadataRestores()));
    for (int i = 0; i < 5; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "repo-" + i, RepositoryKind.GIT);
    }
    Organization organization = world.registerContoso(null);
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    world.source.addRepository(World.CONTOSO, "Team", "new", RepositoryKind.GIT);
    added.clear();

    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();

    // the start's five, then only the new one: no write of a result that exists
    assertThat(added).containsExactly(5, 1);
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).counts().succeeded()).isEqualTo(6);
  }

  @Test
  void aNewOrganizationsFirstRunSendsTheBackupsOfWhatItsRegistrationListedBeforeItsDiscovery() {
    Organization organization = world.registerContoso(null);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    assertThat(world.queue.sent()).extracting(item -> item.getClass().getSimpleName())
        .containsExactly("BackupRepository", "BackupRepository", "BackupRepository", "Discover");
    world.drainQueues();
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).counts().succeeded()).isEqualTo(3);
  }

  @Test
  void anOrganizationWhoseRegistrationCouldNotListItsRepositoriesIsDiscoveredFirst() {
    world.source.failNextListings(1);
    Organization organization = world.registerContoso(null);
    assertThat(world.bunker.inventory().repositories(organization.id())).isEmpty();
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    assertThat(world.queue.sent()).extracting(item -> item.getClass().getSimpleName()).containsExactly("Discover");
    world.drainQueues();
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).counts().succeeded()).isEqualTo(3);
  }

  @Test
  void aScheduledRunOfAKnownOrganizationSendsItsFirstBackupsBeforeItsDiscovery() {
    Organization organization = knownOrganization();
    Instant slot = world.bunker.organizations().get(organization.id()).nextSlot();
    if (slot.isAfter(world.clock.instant())) {
      world.clock.set(slot);
    }
    int before = world.queue.sent().size();

    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);

    assertThat(sentSince(before)).extracting(item -> item.getClass().getSimpleName())
        .containsExactly("BackupRepository", "BackupRepository", "Discover");
    WorkItem.Discover discover = world.queue.all(WorkItem.Discover.class).get(0);
    world.drainQueues();
    assertThat(world.bunker.runs().get(organization.id(), discover.runId()).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aRunDoesNotEndBeforeItsDiscoveryEvenWhenEveryKnownBackupFinished() {
    Organization organization = knownOrganization();
    world.bunker.organizations().replacePolicy(organization.id(), aPolicy().concurrency(8).build());
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    backUp();
    assertThat(world.catalog.runs().allFinished(queued.id())).isTrue();
    RunReport beforeDiscovery = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(beforeDiscovery.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(beforeDiscovery.finishedAt()).isNull();

    world.clock.advance(Duration.ofMinutes(1));
    Instant discovered = world.clock.instant();
    discover();

    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.finishedAt()).as("it ended with its discovery, after its backups").isEqualTo(discovered);
    assertThat(world.queue.all(WorkItem.BackupRepository.class)).isEmpty();
  }

  @Test
  void aRepositoryGoneSinceTheLastRunIsNotBackedUpAndANewOneIsBackedUpOnce() {
    Organization organization = knownOrganization();
    world.source.remove(World.CONTOSO, web);
    SourceRepository added = world.source.addRepository(World.CONTOSO, "Team", "new", RepositoryKind.GIT);
    world.bunker.organizations().replacePolicy(organization.id(), aPolicy().concurrency(8).build());
    int before = world.queue.sent().size();
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    // the catalog still knew web: its backup went out, and the discovery takes it back before it starts
    assertThat(backupMessagesPerRepository(queued.id(), before)).containsOnlyKeys(api.id(), web.id(), wiki.id());
    discover();
    world.drainQueues();

    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.results()).extracting(RepositoryResult::repositoryId)
        .containsExactlyInAnyOrder(api.id(), wiki.id(), added.id());
    assertThat(world.bunker.inventory().snapshots(organization.id(), web.id())).hasSize(1);
    assertThat(backupMessagesPerRepository(queued.id(), before)).containsOnlyKeys(api.id(), web.id(), wiki.id(),
        added.id()).allSatisfy((repository, sent) -> assertThat(sent).isOne());
  }

  @Test
  void aRedeliveredDiscoverySendsNoBackupTwiceAndKeepsTheConcurrency() {
    for (int i = 0; i < 4; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "extra" + i, RepositoryKind.GIT);
    }
    Organization organization = knownOrganization();
    int before = world.queue.sent().size();
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    WorkItem.Discover discover = world.queue.take(WorkItem.Discover.class).get(0);
    world.bunker.discovery().discover(discover, 1);
    world.bunker.discovery().discover(discover, 2);
    int rounds = 0;
    List<WorkItem.BackupRepository> inFlight;
    while (!(inFlight = world.queue.take(WorkItem.BackupRepository.class)).isEmpty()) {
      assertThat(world.catalog.runs().results(queued.id()).stream().filter(RepositoryResult::isInFlight))
          .hasSizeLessThanOrEqualTo(2);
      inFlight.forEach(work -> world.bunker.backups().backup(work, 1));
      rounds++;
    }
    assertThat(rounds).isEqualTo(4);
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).counts().succeeded()).isEqualTo(7);
    assertThat(world.vault.fetches()).isEqualTo(14);
    // the redelivery re-sends the two in flight (dropped by the workers): every other backup is sent once
    Map<String, Long> sent = backupMessagesPerRepository(queued.id(), before);
    assertThat(sent).hasSize(7);
    assertThat(sent.values().stream().filter(count -> count == 2)).hasSize(2);
    assertThat(sent.values().stream().filter(count -> count == 1)).hasSize(5);
  }

  @Test
  void anOrganizationDeletedBeforeTheDiscoveryBacksUpNothingMore() {
    Organization organization = knownOrganization();
    int fetches = world.vault.fetches();
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.bunker.organizations().delete(organization.id());
    discover();
    world.drainQueues();
    assertThat(world.vault.fetches()).isEqualTo(fetches);
    assertThat(world.catalog.runs().results(queued.id())).isEmpty();
  }

  @Test
  void aDiscoveryThatFailsTakesBackTheKnownBackupsNotStarted() {
    Organization organization = knownOrganization();
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    WorkItem.Discover discover = world.queue.take(WorkItem.Discover.class).get(0);
    WorkItem.BackupRepository first = world.queue.take(WorkItem.BackupRepository.class).get(0);
    world.bunker.backups().backup(first, 1);
    world.source.failNextCalls(1);
    world.bunker.discovery().discover(discover, World.MAX_ATTEMPTS);
    world.drainQueues();

    RunReport run = world.bunker.runs().get(organization.id(), queued.id());
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains("listing repositories failed");
    // the one that ran before the listing failed keeps its snapshot; nothing else ran
    assertThat(run.results()).extracting(RepositoryResult::repositoryId, RepositoryResult::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(first.repositoryId(), ResultStatus.SUCCEEDED));
  }
}
