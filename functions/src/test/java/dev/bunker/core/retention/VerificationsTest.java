package dev.bunker.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.memory.InMemoryRepositoryVault.Verified;
import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.SnapshotRecords;
import dev.bunker.testing.LogCapture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerificationsTest {
  private static final String PACK = "orgs/o/repos/r/packs/pack-20260501T100000-0123456789abcdef.pack";

  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final Organization organization = world.registerContoso(null);
  private final RepositoryKey key = new RepositoryKey(organization.id(), api.id());
  private final LogCapture logs = LogCapture.start();

  @AfterEach
  void stopCapture() {
    logs.close();
  }

  private int commits;

  /** Backs up after a new commit at the source: each snapshot adds objects. */
  private String backUp() {
    commits++;
    world.vault.sourceRefs(api.remoteUrl(), List.of(new SnapshotRef("refs/heads/main", "%040x".formatted(commits))));
    return backUpUnchanged();
  }

  private String backUpUnchanged() {
    world.clock.advance(Duration.ofHours(1));
    String runId = world.bunker.runs().startNow(organization.id(), null).id();
    world.drainQueues();
    return SnapshotIds.forRun(runId);
  }

  private Snapshot snapshot(String id) {
    return world.catalog.snapshots().find(key, id).orElseThrow();
  }

  @Test
  void eachBackupVerifiesWhatItsSnapshotAddsToTheNewestIntactOne() {
    String first = backUp();
    Instant firstVerified = world.clock.instant();
    String second = backUp();

    assertThat(world.vault.verified()).containsExactly(
        new Verified(key, first, Optional.empty()), new Verified(key, second, Optional.of(first)));
    assertThat(snapshot(first).verifiedAt()).isEqualTo(firstVerified);
    assertThat(snapshot(second).verifiedIntact()).isTrue();
    Repository repository = world.catalog.repositories().find(organization.id(), api.id()).orElseThrow();
    assertThat(repository.verifiedAt()).isEqualTo(world.clock.instant());
    assertThat(repository.damage()).isNull();
  }

  @Test
  void aBackupWithNothingChangedTakesTheVerificationOfItsIntactTwinAndTheWeeklyRunReadsItAgain() {
    String first = backUp();
    Instant firstVerified = world.clock.instant();
    String unchanged = backUpUnchanged();

    assertThat(world.vault.verified()).as("read once, for the first").containsExactly(
        new Verified(key, first, Optional.empty()));
    assertThat(world.queue.sent()).filteredOn(WorkItem.VerifySnapshots.class::isInstance).hasSize(1);
    assertThat(snapshot(unchanged).verifiedAt()).isEqualTo(firstVerified);
    assertThat(snapshot(unchanged).verifiedIntact()).isTrue();
    String unchangedAgain = backUpUnchanged();
    assertThat(world.vault.verified()).as("nor the one after it").hasSize(1);
    assertThat(snapshot(unchangedAgain).verifiedAt()).isEqualTo(firstVerified);
    assertThat(world.catalog.repositories().find(organization.id(), api.id()).orElseThrow().intactSnapshot())
        .isEqualTo(new IntactSnapshot(unchangedAgain, firstVerified));

    world.clock.advance(Duration.ofDays(7));
    world.bunker.verifications().scheduleAll();
    world.drainQueues();
    assertThat(world.vault.verified().subList(1, 4)).containsExactly(
        new Verified(key, first, Optional.empty()), new Verified(key, unchanged, Optional.of(first)),
        new Verified(key, unchangedAgain, Optional.of(unchanged)));
    assertThat(snapshot(unchanged).verifiedAt()).isEqualTo(world.clock.instant());
    assertThat(world.catalog.repositories().find(organization.id(), api.id()).orElseThrow().intactSnapshot())
        .isEqualTo(new IntactSnapshot(unchangedAgain, world.clock.instant()));
  }

  @Test
  void aBackupWithNothingChangedSinceADamagedSnapshotIsVerified() {
    backUp();
    world.vault.damage(key, PACK);
    world.clock.advance(Duration.ofDays(7));
    world.bunker.verifications().scheduleAll();
    world.drainQueues();
    int before = world.vault.verified().size();

    String unchanged = backUpUnchanged();

    assertThat(world.vault.verified().subList(before, world.vault.verified().size()))
        .containsExactly(new Verified(key, unchanged, Optional.empty()));
    assertThat(snapshot(unchanged).verifyError()).contains(PACK);
    assertThat(world.catalog.repositories().find(organization.id(), api.id()).orElseThrow().intactSnapshot())
        .as("none intact").isNull();
  }

  @Test
  void theWeeklyRunReadsEverySnapshotAndADamagedPackIsRecordedAndLoggedAtSevere() {
    String first = backUp();
    String second = backUp();
    world.vault.damage(key, PACK);
    world.clock.advance(Duration.ofDays(7));

    assertThat(world.bunker.verifications().scheduleAll()).isEqualTo(1);
    world.drainQueues();

    assertThat(world.vault.verified().subList(2, 4)).as("nothing intact to leave out: both in full")
        .containsExactly(new Verified(key, first, Optional.empty()), new Verified(key, second, Optional.empty()));
    assertThat(snapshot(first).verifiedAt()).isEqualTo(world.clock.instant());
    assertThat(snapshot(second).verifyError()).contains(PACK);
    Repository repository = world.catalog.repositories().find(organization.id(), api.id()).orElseThrow();
    assertThat(repository.damage()).startsWith("2 damaged snapshot(s), newest " + second).contains(PACK);
    assertThat(logs.lines()).filteredOn(line -> line.contains("SEVERE")).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains(organization.id(), api.id(), "Team/api", PACK));
    assertThat(logs.lines()).filteredOn(line -> line.contains("SEVERE"))
        .anySatisfy(line -> assertThat(line).contains(second));

    world.vault.damage(key, null);
    world.clock.advance(Duration.ofDays(7));
    world.bunker.verifications().scheduleAll();
    world.drainQueues();
    assertThat(world.vault.verified().subList(4, 6)).as("each against the one before, found intact in the run")
        .containsExactly(new Verified(key, first, Optional.empty()), new Verified(key, second, Optional.of(first)));
    assertThat(snapshot(second).verifiedIntact()).isTrue();
    assertThat(world.catalog.repositories().find(organization.id(), api.id()).orElseThrow().damage()).isNull();
  }

  @Test
  void aVerificationThatReadTheSnapshotsBeforeAnotherRecordedDamageDoesNotLeaveItsSummaryWithoutIt() {
    Catalog memory = InMemoryCatalog.create();
    Map<String, Snapshot> asFirstRead = new HashMap<>();
    AtomicReference<String> staleAfterRecording = new AtomicReference<>();
    AtomicBoolean staleNext = new AtomicBoolean();
    // the list a concurrent verification read before the weekly one recorded its damage: the
    // snapshots of asFirstRead as they were then
    SnapshotRecords racing = (SnapshotRecords) Proxy.newProxyInstance(SnapshotRecords.class.getClassLoader(),
        new Class<?>[] {SnapshotRecords.class}, (self, method, args) -> {
          Object result;
          try {
            result = method.invoke(memory.snapshots(), args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("recordVerification") && args[1].equals(staleAfterRecording.get())) {
            staleNext.set(true);
          } else if (method.getName().equals("list") && staleNext.getAndSet(false)) {
            return ((List<?>) result).stream().map(Snapshot.class::cast)
                .map(snapshot -> asFirstRead.getOrDefault(snapshot.id(), snapshot)).toList();
          }
          return result;
        });
    World world = new World("2026-05-01T10:00:00Z", new Catalog(memory.organizations(), memory.credentials(),
        memory.repositories(), memory.runs(), racing, memory.restores(), memory.metadataRestores()));
    SourceRepository web = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
    Organization contoso = world.registerContoso(null);
    RepositoryKey web1 = new RepositoryKey(contoso.id(), web.id());
    for (int commit = 1; commit <= 3; commit++) {
      if (commit == 3) {
        memory.snapshots().list(web1).forEach(snapshot -> asFirstRead.put(snapshot.id(), snapshot));
        world.vault.damage(web1, PACK);
        world.clock.advance(Duration.ofDays(7));
        world.bunker.verifications().scheduleAll();
        world.drainQueues();
        assertThat(world.catalog.repositories().find(contoso.id(), web.id()).orElseThrow().damage())
            .startsWith("2 damaged snapshot(s)");
        world.vault.damage(web1, null);
      }
      world.vault.sourceRefs(web.remoteUrl(), List.of(new SnapshotRef("refs/heads/main", "%040x".formatted(commit))));
      world.clock.advance(Duration.ofHours(1));
      String runId = world.bunker.runs().startNow(contoso.id(), null).id();
      staleAfterRecording.set(SnapshotIds.forRun(runId));
      world.drainQueues();
    }

    Repository repository = world.catalog.repositories().find(contoso.id(), web.id()).orElseThrow();
    assertThat(repository.damage()).as("the weekly run's damage, not the stale read's summary")
        .startsWith("2 damaged snapshot(s)");
    assertThat(repository.intactSnapshot().snapshotId()).isEqualTo(staleAfterRecording.get());
  }

  @Test
  void aRedeliveredWeeklyVerificationSkipsWhatAnEarlierDeliveryVerified() {
    backUp();
    backUp();
    world.clock.advance(Duration.ofDays(7));
    world.bunker.verifications().scheduleAll();
    List<WorkItem.VerifySnapshots> work = world.queue.take(WorkItem.VerifySnapshots.class);
    world.bunker.verifications().verify(work.get(0), 1);
    int calls = world.vault.verified().size();

    world.bunker.verifications().verify(work.get(0), 2);

    assertThat(world.vault.verified()).hasSize(calls);
  }
}
