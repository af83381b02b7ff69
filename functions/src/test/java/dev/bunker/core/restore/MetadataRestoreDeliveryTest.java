package dev.bunker.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.core.HaltingHttpClient;
import dev.bunker.core.World;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.MetadataRestoreRequest;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.json.Json;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.MetadataTarget;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestorePlan;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metadata restores through their queue worker into the sandbox, delivered as the host delivers
 * them: again after a delivery was stopped mid-way, and twice at once.
 */
class MetadataRestoreDeliveryTest {
  private static final String SNAPSHOT = "20260301T010000Z-00000001";
  private static final int WORK_ITEMS = 30;
  private static AdoSandbox sandbox;

  private HaltingHttpClient http;
  private World world;
  private String organizationId;
  private Project source;
  private Project target;

  @BeforeAll
  static void startSandbox() {
    sandbox = AdoSandbox.start();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  /** An organization with project Web (work items, one with comments) backed up, and an empty project Copy. */
  private void organization(String name) {
    Organization organization = sandbox.organization(name);
    source = organization.project("Web").workItems(WORK_ITEMS);
    source.workItems().get(3).comment("Kim Lead", "Seen again").comment("Sam Developer", "Fixed?");
    target = organization.project("Copy");
    http = new HaltingHttpClient(sandbox.cloudHttpClient());
    world = new World("2026-05-01T10:00:00Z", new DeliveryDirectory());
    String url = organization.cloudUrl().toString();
    String pat = sandbox.pat();
    world.source.organization(url, pat);
    organizationId = world.bunker.organizations().register(new RegisterOrganization(url, null, pat, null, null)).id();
    GitCredential credential = world.bunker.credentials().unlock(
        world.bunker.organizations().get(organizationId).credentialId());
    new MetadataBackup(new MetadataStore(world.metadataBlobs), world.clock).backup(organizationId,
        new ProjectRef(source.id().toString(), source.name()), SNAPSHOT,
        new AdoSourceDirectory(client()).reader(new SourceAccess(url, credential)));
  }

  private AzureDevOpsClient client() {
    return AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).httpClient(http)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).build();
  }

  /**
   * The sandbox, through a client of its own for each use: deliveries run in processes of their own,
   * so a halted one holds none of the client's connections that another needs.
   */
  private final class DeliveryDirectory implements MetadataDirectory {
    @Override
    public List<ProjectRef> projects(SourceAccess access) {
      return new AdoSourceDirectory(client()).projects(access);
    }

    @Override
    public MetadataSource reader(SourceAccess access) {
      return new AdoSourceDirectory(client()).reader(access);
    }

    @Override
    public MetadataTarget writer(SourceAccess access) {
      return new AdoSourceDirectory(client()).writer(access);
    }
  }

  private WorkItem.RestoreMetadata requestRestore() {
    MetadataRestoreJob job = world.bunker.metadataRestores().request(organizationId, new MetadataRestoreRequest(
        source.id().toString(), SNAPSHOT, new MetadataRestoreRequest.Target(null, "Copy")));
    assertThat(world.queue.take(WorkItem.RestoreMetadata.class)).hasSize(1);
    return new WorkItem.RestoreMetadata(organizationId, job.id());
  }

  /** Starts delivery {@code attempt} on its own thread group, halted after {@code workItems} work items. */
  private Thread deliverHalted(WorkItem.RestoreMetadata work, long attempt, int workItems) throws InterruptedException {
    ThreadGroup group = new ThreadGroup("delivery-" + attempt);
    http.haltAfter(group, workItems);
    AtomicReference<Throwable> ended = new AtomicReference<>();
    Thread delivery = new Thread(group, () -> {
      try {
        world.bunker.metadataRestores().perform(work, attempt);
      } catch (RuntimeException e) {
        ended.set(e);
      }
    }, "delivery-" + attempt);
    delivery.start();
    http.awaitHalted();
    return delivery;
  }

  @Test
  void aDeliveryAfterOneTheHostStoppedFinishesTheRestAndCreatesNothingTwice() throws Exception {
    organization("redelivered");
    WorkItem.RestoreMetadata work = requestRestore();
    Thread first = deliverHalted(work, 1, 12);
    assertThat(target.workItems().count()).isEqualTo(12);

    world.clock.advance(MetadataRestores.CLAIM.plusMinutes(1)); // the host has stopped the first delivery by now
    world.bunker.metadataRestores().perform(work, 2);
    http.release(true);
    first.join(60_000);

    MetadataRestoreJob restore = world.bunker.metadataRestores().get(organizationId, work.restoreId());
    assertThat(restore.status()).as(String.valueOf(restore.error())).isEqualTo(RestoreStatus.SUCCEEDED);
    assertThat(target.workItems().count()).as("each work item once").isEqualTo(WORK_ITEMS);
    assertThat(restore.created()).containsEntry("workItem", WORK_ITEMS).containsKey("workItemComment");
    assertThat(sandbox.requests(r -> r.method().equals("POST") && r.path().endsWith("/comments")
        && r.path().contains(target.id().toString()))).as("each comment once")
        .hasSize(restore.created().get("workItemComment"));
  }

  @Test
  void aSecondDeliveryWhileTheFirstRunsCreatesNothing() throws Exception {
    organization("concurrent");
    WorkItem.RestoreMetadata work = requestRestore();
    Thread first = deliverHalted(work, 1, 12);

    assertThatThrownBy(() -> world.bunker.metadataRestores().perform(work, 2))
        .as("delivered again later, when the first has finished or was stopped")
        .isInstanceOf(RetryLaterException.class);
    assertThat(target.workItems().count()).isEqualTo(12);
    assertThat(Json.write(world.bunker.metadataRestores().get(organizationId, work.restoreId())))
        .as("until when it is claimed, not by whom").contains("\"claimedUntil\"").doesNotContain("claimedBy");
    http.release(false);
    first.join(60_000);

    MetadataRestoreJob restore = world.bunker.metadataRestores().get(organizationId, work.restoreId());
    assertThat(restore.status()).as(String.valueOf(restore.error())).isEqualTo(RestoreStatus.SUCCEEDED);
    assertThat(target.workItems().count()).isEqualTo(WORK_ITEMS);
    world.bunker.metadataRestores().perform(work, 3);
    assertThat(target.workItems().count()).as("a finished restore is not run again").isEqualTo(WORK_ITEMS);
  }

  @Test
  void aDryRunListsThePlanAndChangesNothing() {
    organization("dry-run");
    sandbox.clearRequests();

    RestorePlan plan = world.bunker.metadataRestores().plan(organizationId, new MetadataRestoreRequest(
        source.id().toString(), SNAPSHOT, new MetadataRestoreRequest.Target(null, "Copy"), OnConflict.SKIP, true));

    assertThat(plan.create()).containsEntry("workItem", WORK_ITEMS);
    assertThat(plan.skip()).anyMatch(s -> s.startsWith("team Copy Team"));
    assertThat(plan.rename()).isEmpty();
    assertThat(sandbox.requests(r -> !r.method().equals("GET"))).as("nothing written").isEmpty();
    assertThat(world.queue.all()).as("nothing queued").isEmpty();
    assertThat(target.workItems().count()).isZero();
  }
}
