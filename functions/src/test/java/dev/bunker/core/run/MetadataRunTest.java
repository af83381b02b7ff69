package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.World;
import dev.bunker.core.model.MetadataRestoreRequest;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.PolicyInput.PatternsInput;
import dev.bunker.core.model.PolicyInput.RetentionInput;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultKind;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Leases;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.store.blob.Blobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Project metadata backed up as part of runs: results, concurrency, failures, locks and retention. */
class MetadataRunTest {
  private final World world = new World("2026-05-01T10:00:00Z");

  MetadataRunTest() {
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
    world.metadata.project("p-team", "Team");
    world.metadata.project("p-archive", "Archive");
  }

  private static PolicyInput policy(PatternsInput exclude, RetentionInput retention, Integer concurrency,
      Boolean includeMetadata) {
    return aPolicy().excluding(exclude).retention(retention).concurrency(concurrency)
        .includingMetadata(includeMetadata).build();
  }

  private RunReport runNow(Organization organization, RunSelection selection) {
    RunReport queued = world.bunker.runs().startNow(organization.id(), selection);
    world.drainQueues();
    return world.bunker.runs().get(organization.id(), queued.id());
  }

  private List<String> snapshots(Organization organization, String projectId) {
    return world.bunker.metadataSnapshots().list(organization.id(), projectId).stream()
        .map(MetadataSnapshot.Summary::snapshotId).toList();
  }

  @Test
  void aRunBacksUpTheMetadataOfEachProjectThePolicySelects() {
    Organization organization = world.registerContoso(
        policy(new PatternsInput(List.of("Archive"), List.of()), null, null, null));
    RunReport run = runNow(organization, null);

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.results()).extracting(RepositoryResult::kind, RepositoryResult::project)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ResultKind.REPOSITORY, "Team"),
            org.assertj.core.groups.Tuple.tuple(ResultKind.REPOSITORY, "Team"),
            org.assertj.core.groups.Tuple.tuple(ResultKind.METADATA, "Team"),
            org.assertj.core.groups.Tuple.tuple(ResultKind.METADATA, ProjectRef.ORGANIZATION.name()));
    assertThat(snapshots(organization, "p-team")).containsExactly(SnapshotIds.forRun(run.id()));
    assertThat(world.bunker.metadataSnapshots().get(organization.id(), "p-team", SnapshotIds.forRun(run.id()))
        .counts()).containsEntry("workItem", 1);
    assertThat(snapshots(organization, "p-archive")).isEmpty();
  }

  @Test
  void metadataBackupsShareTheRunsConcurrencyWithRepositories() {
    Organization organization = world.registerContoso(policy(null, null, 2, null));
    world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));

    assertThat(world.queue.all(WorkItem.BackupRepository.class).size()
        + world.queue.all(WorkItem.BackupMetadata.class).size()).isEqualTo(2);
    world.drainQueues();
    assertThat(world.bunker.runs().newest(organization.id(), 1).get(0).counts())
        .isEqualTo(new RunReport.Counts(5, 0, 0, 5, 0, 3));
  }

  @Test
  void eachRunMakesOneOrganizationSnapshotBesideTheProjects() {
    Organization organization = world.registerContoso(null);
    runNow(organization, null);
    world.clock.advance(Duration.ofHours(1));
    RunReport second = runNow(organization, null);
    world.clock.advance(Duration.ofHours(1));
    RunReport narrowed = runNow(organization, new RunSelection(List.of("Team"), List.of()));

    String scope = ProjectRef.ORGANIZATION.id();
    assertThat(second.results()).filteredOn(result -> result.kind() == ResultKind.METADATA)
        .extracting(RepositoryResult::repositoryId)
        .containsExactlyInAnyOrder("metadata-p-team", "metadata-p-archive", "metadata-" + scope);
    assertThat(snapshots(organization, scope)).hasSize(2).contains(SnapshotIds.forRun(second.id()));
    assertThat(world.bunker.metadataSnapshots().get(organization.id(), scope, SnapshotIds.forRun(second.id()))
        .counts()).containsEntry("project", 2);
    assertThat(narrowed.results()).extracting(RepositoryResult::repositoryId)
        .doesNotContain("metadata-" + scope);
    assertThatThrownBy(() -> world.bunker.metadataRestores().request(organization.id(),
        new MetadataRestoreRequest(scope, SnapshotIds.forRun(second.id()),
            new MetadataRestoreRequest.Target(null, "Team"))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("not restored into a project");
  }

  @Test
  void aMetadataFailureFailsOnlyItsOwnResult() {
    world.metadata.failing("p-team", new SourceException(SourceException.Reason.ACCESS_DENIED,
        "the credential may not read work items"));
    Organization organization = world.registerContoso(null);
    RunReport run = runNow(organization, null);

    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
    assertThat(run.results()).filteredOn(result -> result.kind() == ResultKind.REPOSITORY)
        .extracting(RepositoryResult::status).containsOnly(ResultStatus.SUCCEEDED);
    assertThat(run.results()).filteredOn(result -> result.repositoryId().equals("metadata-p-team"))
        .singleElement().satisfies(result -> {
          assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
          assertThat(result.error()).contains("may not read work items");
        });
  }

  @Test
  void damagedStoredMetadataFailsItsResultAtOnceWithoutRetrying() throws Exception {
    Organization organization = world.registerContoso(null);
    String first = SnapshotIds.forRun(runNow(organization, null).id());
    String manifest = "orgs/" + organization.id() + "/meta/snapshots/p-team/" + first + ".json";
    world.metadataBlobs.write(manifest, "{\"format\": 1, \"index\": [".getBytes(StandardCharsets.UTF_8),
        Blobs.Condition.NONE, null);
    world.clock.advance(Duration.ofHours(1));

    RunReport run = runNow(organization, null);

    assertThat(run.results()).filteredOn(result -> result.repositoryId().equals("metadata-p-team"))
        .singleElement().satisfies(result -> {
          assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
          assertThat(result.attempts()).as("damage is not healed by retrying").isEqualTo(1);
          assertThat(result.error()).contains(manifest);
        });
  }

  @Test
  void aRunThatNamesRepositoriesOrAPolicyWithoutMetadataBacksUpNone() {
    Organization organization = world.registerContoso(null);
    assertThat(runNow(organization, new RunSelection(List.of(), List.of("api"))).results())
        .extracting(RepositoryResult::kind).containsExactly(ResultKind.REPOSITORY);
    world.bunker.organizations().replacePolicy(organization.id(), policy(null, null, null, false));
    assertThat(runNow(organization, null).results()).extracting(RepositoryResult::kind)
        .containsOnly(ResultKind.REPOSITORY);
  }

  @Test
  void theSameMetadataMessageTwiceMakesOneSnapshot() {
    Organization organization = world.registerContoso(null);
    world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    List<WorkItem.BackupMetadata> backups = world.queue.take(WorkItem.BackupMetadata.class);
    backups.forEach(work -> world.bunker.backups().backupMetadata(work, 1));
    backups.forEach(work -> world.bunker.backups().backupMetadata(work, 2));
    world.drainQueues();

    assertThat(snapshots(organization, "p-team")).hasSize(1);
    assertThat(snapshots(organization, "p-archive")).hasSize(1);
    assertThat(world.bunker.runs().newest(organization.id(), 1).get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aMetadataBackupWaitsWhileGarbageIsCollected() {
    // room for every backup at once: the repositories' are sent before the metadata's
    Organization organization = world.registerContoso(policy(null, null, 8, null));
    world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    WorkItem.BackupMetadata team = world.queue.take(WorkItem.BackupMetadata.class).stream()
        .filter(work -> work.projectId().equals("p-team")).findFirst().orElseThrow();

    try (Leases.Held collector = world.leases.take("orgs/" + organization.id() + "/meta/locks/collector")
        .orElseThrow()) {
      assertThatThrownBy(() -> world.bunker.backups().backupMetadata(team, 1))
          .isInstanceOf(RetryLaterException.class).hasMessageContaining("garbage collection");
    }
    world.bunker.backups().backupMetadata(team, 2);
    assertThat(snapshots(organization, "p-team")).hasSize(1);
  }

  @Test
  void retentionForgetsMetadataSnapshotsByThePolicyAndKeepsTheNewest() {
    Organization organization = world.registerContoso(policy(null, new RetentionInput(1, 0, 0, 0, 0), null, null));
    runNow(organization, null);
    world.clock.advance(Duration.ofHours(1));
    RunReport second = runNow(organization, null);
    assertThat(snapshots(organization, "p-team")).hasSize(2);

    world.clock.advance(Duration.ofDays(2));
    world.bunker.retention().run();

    assertThat(snapshots(organization, "p-team")).containsExactly(SnapshotIds.forRun(second.id()));
    assertThat(snapshots(organization, "p-archive")).containsExactly(SnapshotIds.forRun(second.id()));
    assertThat(snapshots(organization, ProjectRef.ORGANIZATION.id())).containsExactly(SnapshotIds.forRun(second.id()));
  }
}
