package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.azurite.Azurite;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.Omission;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.PullRequest;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Metadata backups of a sandbox project over real HTTP, into content-addressed snapshots. */
class AzureDevOpsMetadataTest extends SandboxMetadataTest {

  AzureDevOpsMetadataTest() {
    super(4);
  }

  private static final String LONG_DESCRIPTION = "Why this change: " + "context ".repeat(150);

  /** A project with PRs in every state, 130 work items (WIQL capped at 50), pipelines and secrets. */
  private static dev.bunker.sandbox.Project aProject(String organizationName) {
    return aProject(organizationName, 130);
  }

  private static dev.bunker.sandbox.Project aProject(String organizationName, int workItems) {
    Organization organization = sandbox.organization(organizationName);
    dev.bunker.sandbox.Project web = organization.project("Web");
    web.workItems(workItems).workItems().queryLimit(50);
    HostedRepository site = web.repository("site");
    site.pullRequest("Add dark mode").description(LONG_DESCRIPTION).iterations(3).reviewer("Sam Developer", 10)
        .reviewer("Kim Lead", -5).label("ui").linkedWorkItem(12)
        .thread("Can we keep the old colours?", "Yes, behind a flag").thread("fixed", "/src/theme.css", 14, "Typo");
    for (int i = 1; i <= 6; i++) {
      site.pullRequest("Change " + i).status(i % 3 == 0 ? "active" : i % 3 == 1 ? "completed" : "abandoned")
          .thread("Comment on change " + i);
    }
    web.repository("legacy").disabled();
    web.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "s1gn-me");
    web.buildDefinition("nightly").yamlFilename("nightly.yml");
    web.variableGroup("shared").variable("region", "westeurope").secret("dbPassword", "hunter2");
    return web;
  }

  private AzureDevOpsMetadata source(dev.bunker.sandbox.Project project) {
    return AzureDevOpsMetadata.of(client, url(project), pat, 4, 40);
  }

  private static String text(MetadataStore store, MetadataSnapshot snapshot, MetadataKind kind, String id) {
    return new String(store.object(snapshot.organizationId(), snapshot.hash(kind, id).orElseThrow()),
        StandardCharsets.UTF_8);
  }

  private static List<RecordedRequest> restCalls(dev.bunker.sandbox.Project project) {
    return sandbox.requests(r -> r.path().startsWith("/" + project.organization().path() + "/"));
  }

  @Test
  void backsUpPullRequestsWorkItemsAndPipelinesWithWhatCouldNotBeRead() throws Exception {
    dev.bunker.sandbox.Project web = aProject("full");
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataStore store = new MetadataStore(blobs);

    MetadataSnapshot snapshot = new MetadataBackup(store, time)
        .backup("org1", ref(web), "20260301T010000Z-00000001", source(web));

    assertThat(snapshot.counts()).containsEntry("pullRequest", 7).containsEntry("pullRequestThreads", 7)
        .containsEntry("pullRequestIterations", 7)
        .containsEntry("workItem", 130).containsEntry("buildDefinition", 2).containsEntry("variableGroup", 1);
    String siteId = web.repository("site").id().toString();
    int darkMode = 1;
    JsonNode pr = JSON.readTree(text(store, snapshot, MetadataKind.PULL_REQUEST, siteId + "/" + darkMode));
    assertThat(pr.path("description").asText()).isEqualTo(LONG_DESCRIPTION).hasSizeGreaterThan(400);
    assertThat(pr.path("reviewers")).extracting(r -> r.path("vote").asInt()).containsExactly(10, -5);
    assertThat(pr.path("labels").get(0).path("name").asText()).isEqualTo("ui");
    assertThat(pr.path("workItemRefs").get(0).path("id").asText()).isEqualTo("12");
    JsonNode threads = JSON.readTree(text(store, snapshot, MetadataKind.PULL_REQUEST_THREADS, siteId + "/" + darkMode));
    assertThat(threads.path("threads").get(1).path("threadContext").path("filePath").asText())
        .isEqualTo("/src/theme.css");
    assertThat(threads.path("threads").get(1).path("status").asText()).isEqualTo("fixed");
    JsonNode iterations =
        JSON.readTree(text(store, snapshot, MetadataKind.PULL_REQUEST_ITERATIONS, siteId + "/" + darkMode));
    assertThat(iterations.path("iterations")).extracting(i -> i.path("reason").asText())
        .containsExactly("create", "push", "push");

    // Work item 41: three revisions; 42: two comments; 39: one revision (the item itself).
    assertThat(JSON.readTree(text(store, snapshot, MetadataKind.WORK_ITEM_REVISIONS, "41")).path("revisions"))
        .extracting(r -> r.path("fields").path("System.State").asText()).containsExactly("New", "Active", "Closed");
    assertThat(JSON.readTree(text(store, snapshot, MetadataKind.WORK_ITEM_COMMENTS, "42")).path("comments")).hasSize(2);
    assertThat(snapshot.entries(MetadataKind.WORK_ITEM_REVISIONS)).doesNotContainKey("39");
    assertThat(snapshot.count(MetadataKind.ATTACHMENT)).isEqualTo(3);
    assertThat(snapshot.entries(MetadataKind.ATTACHMENT)).as("on work items 40, 80 and 120").hasSize(3);

    assertThat(snapshot.notBackedUp()).extracting(Omission::kind, Omission::id).contains(
        org.assertj.core.api.Assertions.tuple("buildDefinitionSecret", "1/signingKey"),
        org.assertj.core.api.Assertions.tuple("variableGroupSecret", "1/dbPassword"),
        org.assertj.core.api.Assertions.tuple("pullRequest", web.repository("legacy").id().toString()));
    assertThat(restCalls(web)).filteredOn(r -> r.path().endsWith("/wit/wiql"))
        .as("WIQL pages of 40 ids, never one query over the limit of 50").hasSize(4)
        .allMatch(r -> r.status() == 200);
    for (String hash : snapshot.entries().values().stream().flatMap(m -> m.values().stream()).toList()) {
      assertThat(new String(store.object("org1", hash), StandardCharsets.ISO_8859_1))
          .doesNotContain("s1gn-me", "hunter2");
    }
  }

  @Test
  void keepsAll250CommentsOnServer2019() throws Exception {
    keepsAll250Comments(sandbox.collection("comments2019/DefaultCollection").maxApiVersion("5.0"));
  }

  @Test
  void keepsAll250CommentsOnServices() throws Exception {
    keepsAll250Comments(sandbox.organization("comments-services"));
  }

  /** More comments than one page holds (200 on either API): Server 2019 pages by revision, Services by token. */
  private void keepsAll250Comments(Organization organization) throws Exception {
    dev.bunker.sandbox.Project web = organization.project("Web");
    dev.bunker.sandbox.WorkItem discussed = web.workItems().create("Bug", "Much discussed");
    for (int i = 1; i <= 250; i++) {
      discussed.comment(i % 2 == 0 ? "Kim Lead" : "Sam Developer", "Comment " + i);
    }

    MetadataSnapshot snapshot = backup(web, "20260301T010000Z-00000001");

    JsonNode comments = document(snapshot, MetadataKind.WORK_ITEM_COMMENTS, Integer.toString(discussed.id()))
        .path("comments");
    assertThat(comments).hasSize(250);
    assertThat(comments).extracting(c -> c.path("text").asText()).startsWith("Comment 1").endsWith("Comment 250")
        .doesNotHaveDuplicates();
  }

  @Test
  void aSecondRunAfterAFewChangesStoresOnlyThoseChanges() {
    dev.bunker.sandbox.Project web = aProject("incremental");
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), time);
    MetadataSnapshot first = backup.backup("org1", ref(web), "20260301T010000Z-00000001", source(web));

    web.workItems().get(5).update("System.Title", "Renamed");
    web.workItems().get(7).comment("Kim Lead", "Still happening on Tuesday");
    web.workItems().create("Bug", "Brand new").attach("trace.log", "stack trace".getBytes(StandardCharsets.UTF_8));
    pullRequest(web.repository("site"), 2).thread("One more question");
    sandbox.clearRequests();
    int writesBefore = TestBlobs.count(blobs);
    MetadataSnapshot second = backup.backup("org1", ref(web), "20260302T010000Z-00000002", source(web));

    // 5: item and revisions; 7: item, revisions, comments; 131: item, revisions, attachment; PR: threads;
    // the work item watermark.
    assertThat(second.stats().objectsWritten()).isEqualTo(10);
    assertThat(TestBlobs.count(blobs) - writesBefore).as("those objects, the index chunks naming them and the manifest")
        .isEqualTo(10 + second.stats().indexObjectsWritten() + 1);
    assertThat(second.stats().indexObjectsWritten()).isLessThanOrEqualTo(9);
    assertThat(second.count(MetadataKind.WORK_ITEM)).isEqualTo(131);
    assertThat(second.entries(MetadataKind.WORK_ITEM_REVISIONS))
        .hasSize(first.entries(MetadataKind.WORK_ITEM_REVISIONS).size() + 1);
    assertThat(restCalls(web)).filteredOn(r -> r.path().contains("/revisions"))
        .extracting(r -> r.path().replaceAll(".*/workItems/(\\d+)/revisions", "$1"))
        .containsExactlyInAnyOrder("5", "7", "131");
    assertThat(restCalls(web)).filteredOn(r -> r.path().contains("/attachments/")).hasSize(1);

    sandbox.clearRequests();
    int writesBeforeThird = TestBlobs.count(blobs);
    MetadataSnapshot third = backup.backup("org1", ref(web), "20260303T010000Z-00000003", source(web));
    assertThat(TestBlobs.count(blobs) - writesBeforeThird).as("a run without changes writes only its manifest")
        .isEqualTo(1);
    assertThat(third.entries()).isEqualTo(second.entries());
    assertThat(restCalls(web)).noneMatch(r -> r.path().endsWith("/revisions") || r.path().contains("/attachments/"));
    assertThat(restCalls(web)).filteredOn(r -> r.path().endsWith("/comments"))
        .as("only today's slice of the items with comments (edits make no revision)")
        .hasSizeLessThan(second.count(MetadataKind.WORK_ITEM_COMMENTS) / 2);
    assertThat(restCalls(web))
        .filteredOn(r -> r.path().contains("/pullrequests/") && r.path().endsWith("/iterations"))
        .as("only open pull requests can get new iterations").hasSize(3);
  }

  @Test
  void throttlingAndServerErrorsAreHonouredAndChangeNothing() {
    dev.bunker.sandbox.Project web = aProject("throttled");
    MetadataSnapshot calm = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ref(web), "20260301T010000Z-00000001", source(web));

    sandbox.faults().throttleNext(2, Duration.ofSeconds(7)).failNext(2, 503).throttleNext(1, Duration.ofSeconds(3));
    time.forgetSleeps();
    sandbox.clearRequests();
    MetadataSnapshot stormy = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ref(web), "20260301T010000Z-00000001", source(web));

    assertThat(stormy.entries()).isEqualTo(calm.entries());
    assertThat(stormy.notBackedUp()).isEqualTo(calm.notBackedUp());
    assertThat(restCalls(web)).extracting(RecordedRequest::status).filteredOn(s -> s != 200)
        .containsExactly(429, 429, 503, 503, 429);
    assertThat(time.sleeps()).contains(Duration.ofSeconds(7), Duration.ofSeconds(3));
  }

  @Test
  void snapshotsLandInAzureBlobStorage() throws Exception {
    dev.bunker.sandbox.Project web = aProject("azurite", 45);
    Blobs blobs = new AzureBlobs(new com.azure.storage.blob.BlobServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).buildClient()
        .createBlobContainer("meta-" + UUID.randomUUID()));
    MetadataStore store = new MetadataStore(blobs);
    MetadataBackup backup = new MetadataBackup(store, time);
    MetadataSnapshot first = backup.backup("org1", ref(web), "20260301T010000Z-00000001", source(web));
    MetadataSnapshot again = backup.backup("org1", ref(web), "20260302T010000Z-00000002", source(web));

    assertThat(again.stats().objectsWritten()).isZero();
    assertThat(store.latest("org1", ref(web).id())).contains(again);
    assertThat(blobs.list("orgs/org1/meta/objects/"))
        .hasSize((int) (first.stats().objectsWritten() + first.stats().indexObjectsWritten()));
    assertThat(blobs.list("orgs/org1/meta/snapshots/")).hasSize(2);
    assertThat(store.collectGarbage("org1", java.time.Instant.now().plusSeconds(60)).deleted())
        .as("every object is referenced").isZero();
  }

  private static PullRequest pullRequest(HostedRepository repository, int id) {
    return repository.pullRequests().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
  }
}
