package dev.bunker.core.retention;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.World;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SourceRepository;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionJobTest {
  @Test
  void forgettingADamagedSnapshotTakesItOffTheRepositorysSummaryAndKeepsWhenItWasVerified() {
    World world = new World("2026-05-01T10:00:00Z");
    SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    Organization organization = world.registerContoso(aPolicy().keepingLast(1).build());
    RepositoryKey key = new RepositoryKey(organization.id(), api.id());
    world.vault.damage(key, "orgs/o/repos/r/packs/pack-1.pack");
    world.vault.sourceRefs(api.remoteUrl(), List.of(new SnapshotRef("refs/heads/main", "%040x".formatted(1))));
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    world.vault.damage(key, null);
    world.clock.advance(Duration.ofHours(6));
    world.vault.sourceRefs(api.remoteUrl(), List.of(new SnapshotRef("refs/heads/main", "%040x".formatted(2))));
    String kept = SnapshotIds.forRun(world.bunker.runs().startNow(organization.id(), null).id());
    world.drainQueues();
    Repository before = world.catalog.repositories().find(organization.id(), api.id()).orElseThrow();
    assertThat(before.damage()).startsWith("1 damaged snapshot(s)");
    world.clock.advance(Duration.ofHours(6));

    assertThat(world.bunker.retention().run()).isEqualTo(1);

    Repository after = world.catalog.repositories().find(organization.id(), api.id()).orElseThrow();
    assertThat(after.damage()).as("the damaged snapshot is gone").isNull();
    assertThat(after.intactSnapshot().snapshotId()).isEqualTo(kept);
    assertThat(after.verifiedAt()).isEqualTo(before.verifiedAt());
  }

  @Test
  void forgetsExpiredSnapshotsInTheStoreAndTheCatalog() {
    World world = new World("2026-05-01T10:00:00Z");
    SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    Organization organization = world.registerContoso(
        aPolicy().keepingLast(2).build());
    for (int i = 0; i < 4; i++) {
      world.bunker.runs().startNow(organization.id(), null);
      world.drainQueues();
      world.clock.advance(Duration.ofHours(6));
    }
    RepositoryKey key = new RepositoryKey(organization.id(), api.id());
    assertThat(world.vault.snapshotIds(key)).hasSize(4);

    assertThat(world.bunker.retention().run()).isEqualTo(2);

    assertThat(world.bunker.inventory().snapshots(organization.id(), api.id())).hasSize(2);
    assertThat(world.vault.snapshotIds(key))
        .containsExactlyElementsOf(world.bunker.inventory().snapshots(organization.id(), api.id()).stream()
            .map(Snapshot::id).sorted().toList());
    assertThat(world.vault.maintenanceRuns()).isEqualTo(1);
    assertThat(world.bunker.retention().run()).isZero();
  }

  @Test
  void leavesDeletedOrganizationsAlone() {
    World world = new World("2026-05-01T10:00:00Z");
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    Organization organization = world.registerContoso(
        aPolicy().keepingLast(1).build());
    for (int i = 0; i < 3; i++) {
      world.bunker.runs().startNow(organization.id(), null);
      world.drainQueues();
      world.clock.advance(Duration.ofHours(6));
    }
    world.bunker.organizations().delete(organization.id());
    assertThat(world.bunker.retention().run()).isZero();
    assertThat(world.vault.maintenanceRuns()).isZero();
  }
}
