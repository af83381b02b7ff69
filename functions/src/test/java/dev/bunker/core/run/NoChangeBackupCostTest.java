package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.Observed;
import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a backup costs besides its transfer when nothing changed at the source: the catalog calls
 * (each a table round trip) and the secret reads of a run, counted, not timed.
 */
class NoChangeBackupCostTest {
  private static final int REPOSITORIES = 40;
  private static final int CONCURRENCY = 8;

  /** Catalog calls by port and method, e.g. {@code runs.saveResult}. */
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final World world = new World("2026-05-01T10:00:00Z", counted(InMemoryCatalog.create()));

  private <T> T counted(Class<T> port, String name, T records) {
    return Observed.calls(port, records,
        (method, args) -> calls.computeIfAbsent(name + "." + method, key -> new AtomicLong()).incrementAndGet());
  }

  private Catalog counted(Catalog memory) {
    return new Catalog(counted(dev.bunker.core.port.OrganizationRecords.class, "organizations", memory.organizations()),
        counted(dev.bunker.core.port.CredentialRecords.class, "credentials", memory.credentials()),
        counted(dev.bunker.core.port.RepositoryRecords.class, "repositories", memory.repositories()),
        counted(dev.bunker.core.port.RunRecords.class, "runs", memory.runs()),
        counted(dev.bunker.core.port.SnapshotRecords.class, "snapshots", memory.snapshots()), memory.restores(),
        memory.metadataRestores());
  }

  /** Runs a backup of the organization, its discovery first; answers the run. */
  private RunReport run(Organization organization) {
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    for (List<WorkItem.BackupRepository> batch = world.queue.take(WorkItem.BackupRepository.class); !batch
        .isEmpty(); batch = world.queue.take(WorkItem.BackupRepository.class)) {
      batch.forEach(work -> world.bunker.backups().backup(work, 1));
    }
    world.queue.take(WorkItem.VerifySnapshots.class).forEach(work -> world.bunker.verifications().verify(work, 1));
    return world.bunker.runs().get(organization.id(), queued.id());
  }

  @Test
  void aNoChangeBackupReadsTheSecretOncePerRunAndFewCatalogRowsPerRepository() {
    for (int i = 0; i < REPOSITORIES; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "repo-" + i, RepositoryKind.GIT);
    }
    Organization organization =
        world.registerContoso(aPolicy().concurrency(CONCURRENCY).includingMetadata(false).build());
    assertThat(run(organization).status()).isEqualTo(RunStatus.SUCCEEDED);
    world.clock.advance(java.time.Duration.ofHours(1));
    calls.clear();
    int secretReadsBefore = world.secrets.reads();

    RunReport noChange = run(organization);

    assertThat(noChange.status()).isEqualTo(RunStatus.SUCCEEDED);
    Map<String, Long> counts = new TreeMap<>();
    calls.forEach((call, count) -> counts.put(call, count.get()));
    // discovery reads the secret for its listing, and the backups once for the whole run (before: once each)
    assertThat(world.secrets.reads() - secretReadsBefore).isEqualTo(2);
    assertThat(counts.get("credentials.find")).isEqualTo(2);
    // each backup reads the organization once (before: twice), besides its result and repository
    // (whose row names the newest intact snapshot: no snapshot row is read to find the intact twin),
    // and the dispatch of the next; the run's start and its discovery read a few more
    assertThat(counts.get("organizations.find")).as(counts.toString()).isBetween(REPOSITORIES + 1L, REPOSITORIES + 5L);
    // the run itself only once it has ended (before: each backup once, and before that three times)
    assertThat(counts.get("runs.find")).as(counts.toString()).isLessThanOrEqualTo(CONCURRENCY + 2L);
    // and only a backup whose dispatch saw no other backup queued or in flight asks whether the run
    // ended (before: every backup, twice)
    assertThat(counts.get("runs.allFinished")).as(counts.toString()).isLessThanOrEqualTo(CONCURRENCY + 2L);
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    // before: 739 calls, 18.5 a repository; then 506 (12.65); then 428 (10.7), the run's start and
    // discovery included; now 429 (10.725): the run records how it ended, once, so lists of runs
    // read no results of ended runs
    assertThat(counts).as("no snapshot row read").doesNotContainKey("snapshots.find");
    assertThat((double) total / REPOSITORIES).as(counts.toString()).isLessThanOrEqualTo(10.725);
  }
}
