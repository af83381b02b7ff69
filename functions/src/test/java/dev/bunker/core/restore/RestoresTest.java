package dev.bunker.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.World;
import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.Restore;
import dev.bunker.core.model.RestoreRequest;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.model.RestoreTarget;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.WorkItem;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestoresTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final List<SnapshotRef> oldRefs = List.of(new SnapshotRef("refs/heads/main", "1".repeat(40)));
  private Organization organization;
  private String snapshotId;

  @BeforeEach
  void backUpOnce() {
    world.vault.sourceRefs(api.remoteUrl(), oldRefs);
    organization = world.registerContoso(null);
    RunReport run = world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    snapshotId = SnapshotIds.forRun(run.id());
  }

  private Restore performed(Restore requested) {
    world.queue.take(WorkItem.RestoreSnapshot.class).forEach(work -> world.bunker.restores().perform(work, 1));
    return world.bunker.restores().get(organization.id(), requested.id());
  }

  @Test
  void restoresASnapshotIntoANewRepository() {
    Restore requested = world.bunker.restores().request(organization.id(),
        new RestoreRequest(api.id(), snapshotId, new RestoreTarget(null, "Team", "api-restored", true)));
    assertThat(requested.status()).isEqualTo(RestoreStatus.QUEUED);
    Restore done = performed(requested);
    assertThat(done.status()).isEqualTo(RestoreStatus.SUCCEEDED);
    assertThat(world.vault.pushed()).containsEntry(done.targetUrl(), oldRefs);
  }

  @Test
  void refusesANonEmptyTarget() {
    Restore done = performed(world.bunker.restores().request(organization.id(),
        new RestoreRequest(api.id(), snapshotId, new RestoreTarget(null, "Team", "api", null))));
    assertThat(done.status()).isEqualTo(RestoreStatus.FAILED);
    assertThat(done.error()).contains("not empty");
    assertThat(world.vault.pushed()).isEmpty();
  }

  @Test
  void aRedeliveryAfterAPushWhoseRecordWasLostLetsThePushDecideInsteadOfCallingTheTargetNotEmpty() {
    Restore requested = world.bunker.restores().request(organization.id(),
        new RestoreRequest(api.id(), snapshotId, new RestoreTarget(null, "Team", "api", null)));
    // the first delivery pushed into the (then empty) target and died before recording it
    world.queue.take(WorkItem.RestoreSnapshot.class).forEach(work -> world.bunker.restores().perform(work, 2));

    Restore done = world.bunker.restores().get(organization.id(), requested.id());
    assertThat(done.status()).isEqualTo(RestoreStatus.SUCCEEDED);
    assertThat(world.vault.pushed()).containsEntry(done.targetUrl(), oldRefs);
  }

  @Test
  void aMissingTargetIsCreatedOnlyWhenAsked() {
    Restore done = performed(world.bunker.restores().request(organization.id(),
        new RestoreRequest(api.id(), snapshotId, new RestoreTarget(null, "Team", "missing", false))));
    assertThat(done.status()).isEqualTo(RestoreStatus.FAILED);
    assertThat(done.error()).contains("create: true");
  }

  @Test
  void badRequestsNameTheFieldAndQueueNothing() {
    assertThatThrownBy(() -> world.bunker.restores().request(organization.id(),
        new RestoreRequest(null, snapshotId, new RestoreTarget(null, null, "x", true))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactly("repositoryId", "target.project"));
    assertThatThrownBy(() -> world.bunker.restores().request(organization.id(),
        new RestoreRequest(api.id(), "20200101T000000Z-00000000", new RestoreTarget(null, "Team", "x", true))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactly("snapshotId"));
    assertThatThrownBy(() -> world.bunker.restores().request(organization.id(),
        new RestoreRequest(api.id(), snapshotId, new RestoreTarget("other-org", "Team", "x", true))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactly("target.organizationId"));
    assertThat(world.queue.all(WorkItem.RestoreSnapshot.class)).isEmpty();
  }
}
