package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.Omission;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotWriter;
import dev.bunker.sandbox.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Work items backed up incrementally through the reporting revisions API and its watermark. */
class WorkItemIncrementsTest extends SandboxMetadataTest {

  WorkItemIncrementsTest() {
    super(100);
  }

  private final MetadataBackup backup = new MetadataBackup(store, time);
  private int run;

  private dev.bunker.sandbox.Project aProject(String organization, int workItems) {
    dev.bunker.sandbox.Project project = sandbox.organization(organization).project("Board");
    project.workItems(workItems).workItems().queryLimit(300);
    return project;
  }

  private MetadataSnapshot backUp(dev.bunker.sandbox.Project project) {
    run++;
    return backup.backup("org1", new ProjectRef(project.id().toString(), project.name()),
        "2026030" + run + "T010000Z-0000000" + run,
        AzureDevOpsMetadata.of(client, url(project), pat, 4, 250));
  }

  /** The work item calls (not the board settings that also live under {@code _apis/wit}). */
  private static List<RecordedRequest> calls(dev.bunker.sandbox.Project project) {
    return sandbox.requests(r -> r.path().startsWith("/" + project.organization().path() + "/")
        && r.path().contains("/_apis/wit/") && !BOARD_SETTINGS.matcher(r.path()).find());
  }

  private static final java.util.regex.Pattern BOARD_SETTINGS =
      java.util.regex.Pattern.compile("/_apis/wit/(classificationnodes|workitemtypes|queries)");

  private String text(MetadataSnapshot snapshot, MetadataKind kind, String id) {
    return new String(store.object("org1", snapshot.hash(kind, id).orElseThrow()), StandardCharsets.UTF_8);
  }

  @Test
  void aRunAfterTheFirstReadsOnlyTheWorkItemsTheReportingApiNames() {
    dev.bunker.sandbox.Project board = aProject("increments", 1000);
    MetadataSnapshot first = backUp(board);
    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/wiql")).as("id ranges of 250").hasSize(5);

    board.workItems().get(300).update("System.Title", "Renamed");
    board.workItems().get(640).attach("trace.log", "boom".getBytes(StandardCharsets.UTF_8));
    board.workItems().create("Bug", "Found today");
    sandbox.clearRequests();
    MetadataSnapshot second = backUp(board);

    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/wiql")).as("no WIQL after the first run").isEmpty();
    String watermark = AdoJson.json(store.object("org1",
        first.hash(MetadataKind.WORK_ITEM_WATERMARK, "reporting").orElseThrow())).path("continuationToken").asText();
    assertThat(watermark).as("from nextLink: the sandbox, like most captured answers, has no token field")
        .matches("\\d+;\\d+;\\d+");
    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/reporting/workitemrevisions")).hasSize(1)
        .allMatch(r -> watermark.equals(r.queryParameter("continuationToken")));
    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/workitemsbatch")).hasSize(1);
    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/revisions"))
        .extracting(r -> r.path().replaceAll(".*/workItems/(\\d+)/revisions", "$1"))
        .as("a new item with one revision needs no revisions call").containsExactlyInAnyOrder("300", "640");
    assertThat(second.count(MetadataKind.WORK_ITEM)).isEqualTo(1001);
    assertThat(second.count(MetadataKind.ATTACHMENT)).isEqualTo(first.count(MetadataKind.ATTACHMENT) + 1);
    assertThat(text(second, MetadataKind.WORK_ITEM, "300")).contains("Renamed");
    assertThat(second.entries(MetadataKind.WORK_ITEM_REVISIONS).keySet())
        .containsAll(first.entries(MetadataKind.WORK_ITEM_REVISIONS).keySet());
    assertThat(second.hash(MetadataKind.WORK_ITEM_WATERMARK, "reporting"))
        .isNotEqualTo(first.hash(MetadataKind.WORK_ITEM_WATERMARK, "reporting"));

    sandbox.clearRequests();
    MetadataSnapshot third = backUp(board);
    assertThat(third.entries()).isEqualTo(second.entries());
    assertThat(third.stats().objectsWritten() + third.stats().indexObjectsWritten()).isZero();
    assertThat(calls(board)).filteredOn(r -> !r.path().endsWith("/comments"))
        .as("without changes: one reporting call").hasSize(1);
  }

  @Test
  void aFirstRunReadsRevisionsFromTheReportingApiAThousandACallAndPerItemOnlyWhereThereAreRelations()
      throws Exception {
    dev.bunker.sandbox.Project board = aProject("revisions-in-batches", 1000);
    board.workItems().get(300).update("System.Title", "Renamed");
    MetadataSnapshot first = backUp(board);

    int revisions = 0;
    List<String> related = new java.util.ArrayList<>();
    for (int id = 1; id <= 1000; id++) {
      revisions += board.workItems().get(id).rev();
      // generated: a Task links to its parent, every 40th has an attachment
      if (board.workItems().get(id).rev() > 1 && (id % 10 >= 6 && id > 1 || id % 40 == 0)) {
        related.add(String.valueOf(id));
      }
    }
    List<RecordedRequest> reporting = calls(board).stream()
        .filter(r -> r.path().endsWith("/reporting/workitemrevisions")).toList();
    assertThat(reporting).as("a watermark, then every revision in batches of 1000")
        .hasSize(1 + (revisions + WorkItemRevisionSpool.PAGE - 1) / WorkItemRevisionSpool.PAGE)
        .allMatch(r -> String.valueOf(WorkItemRevisionSpool.PAGE).equals(r.queryParameter("$maxPageSize")))
        .allMatch(r -> r.queryParameter("maxPageSize") == null && r.queryParameter("includeRelations") == null,
            "only the spec's parameters");
    assertThat(reporting.subList(1, reporting.size())).as("revisions kept with identity references")
        .allMatch(r -> "true".equals(r.queryParameter("includeIdentityRef")));
    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/revisions"))
        .extracting(r -> r.path().replaceAll(".*/workItems/(\\d+)/revisions", "$1"))
        .as("one call for each item whose relations the reporting API leaves out").hasSameElementsAs(related)
        .hasSameSizeAs(related);
    assertThat(first.count(MetadataKind.WORK_ITEM_REVISIONS)).as("300 now has two").isEqualTo(668);
    for (String id : first.entries(MetadataKind.WORK_ITEM_REVISIONS).keySet()) {
      assertThat(text(first, MetadataKind.WORK_ITEM_REVISIONS, id))
          .as("work item " + id + " as its revisions API has it")
          .isEqualTo(revisionsDocument(board, id));
    }
  }

  @Test
  void aFirstRunKeepsTheLinkHistoryOfAnItemWhoseLinksChanged() throws Exception {
    // the watermark in the body too, as some answers have it: only the relations are at stake here
    sandbox.organization("link-history").reportingTokenInBody(true);
    dev.bunker.sandbox.Project board = aProject("link-history", 20);
    board.workItems().get(11).link("System.LinkTypes.Related", 3).update("System.Title", "Linked, then renamed");
    MetadataSnapshot first = backUp(board);

    String revisions = text(first, MetadataKind.WORK_ITEM_REVISIONS, "11");
    assertThat(revisions).as("its relations, which the reporting API does not give")
        .contains("\"relations\"", "System.LinkTypes.Related").isEqualTo(revisionsDocument(board, "11"));
    assertThat(text(first, MetadataKind.WORK_ITEM_REVISIONS, "5")).as("an item without relations, from the batches")
        .isEqualTo(revisionsDocument(board, "5"));
  }

  @Test
  void anItemWithMoreRevisionsThanAPageOfTheServiceKeepsThemAll() {
    sandbox.organization("long-history").reportingTokenInBody(true);
    dev.bunker.sandbox.Project board = aProject("long-history", 10);
    backUp(board);
    for (int i = 1; i <= 150; i++) {
      board.workItems().get(4).update("System.Title", "Edit " + i);
    }
    MetadataSnapshot second = backUp(board);

    int rev = board.workItems().get(4).rev();
    assertThat(rev).isGreaterThan(WorkItemExport.REVISIONS_PAGE / 2 + 50);
    assertThat(AdoJson.json(store.object("org1",
        second.hash(MetadataKind.WORK_ITEM_REVISIONS, "4").orElseThrow())).path("revisions"))
        .as("the pages after a short one too").extracting(r -> r.path("rev").asInt())
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, rev).boxed().toList());
  }

  @Test
  void noRevisionsComeFromTheReportingApiWhenItKeepsFailing() {
    dev.bunker.sandbox.Project board = aProject("reporting-refused", 10);
    Calls calls = Calls.sequential(client.exchange(),
        url(board), pat);
    sandbox.faults().failNext(6, 503);
    assertThat(WorkItemRevisionSpool.read(calls, board.id() + "/_apis/wit/")).as("the exporter reads per work item")
        .isEmpty();
    sandbox.faults().clear();
  }

  /** The revisions document of work item {@code id} as its revisions API ({@code $expand=all}) has it. */
  private static String revisionsDocument(dev.bunker.sandbox.Project project, String id) throws Exception {
    com.fasterxml.jackson.databind.node.ArrayNode all = AdoJson.JSON.createArrayNode();
    while (true) {
      java.net.http.HttpResponse<byte[]> answer = sandbox.cloudHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(url(project) + "/" + project.id() + "/_apis/wit/workItems/" + id
              + "/revisions?$expand=all&$skip=" + all.size() + "&api-version=7.1"))
          .header("Authorization", "Basic " + java.util.Base64.getEncoder()
              .encodeToString((":" + sandbox.pat()).getBytes(StandardCharsets.UTF_8)))
          .build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      com.fasterxml.jackson.databind.JsonNode page = AdoJson.json(answer.body()).path("value");
      if (page.isEmpty()) {
        break;
      }
      page.forEach(all::add);
    }
    com.fasterxml.jackson.databind.node.ObjectNode doc = AdoJson.JSON.createObjectNode();
    doc.put("id", Integer.parseInt(id));
    doc.set("revisions", all);
    return new String(AdoJson.document(doc), StandardCharsets.UTF_8);
  }

  @Test
  void deletedWorkItemsLeaveTheSnapshotAndAreListedWithTheirAttachments() {
    dev.bunker.sandbox.Project board = aProject("recycle-bin", 200);
    MetadataSnapshot first = backUp(board);
    assertThat(first.entries(MetadataKind.ATTACHMENT)).hasSize(5);

    board.workItems().delete(40);
    board.workItems().delete(41);
    MetadataSnapshot second = backUp(board);

    assertThat(second.entries(MetadataKind.WORK_ITEM)).hasSize(198).doesNotContainKeys("40", "41");
    assertThat(second.entries(MetadataKind.WORK_ITEM_REVISIONS)).doesNotContainKey("41");
    assertThat(second.entries(MetadataKind.ATTACHMENT)).as("40's attachment went with it").hasSize(4);
    assertThat(second.notBackedUp()).extracting(Omission::kind, Omission::id)
        .contains(tuple("workItem", "40"), tuple("workItem", "41"));
    assertThat(second.notBackedUp()).filteredOn(o -> o.id().equals("40")).first()
        .extracting(Omission::reason).asString().contains("recycle bin");
    assertThat(store.snapshot("org1", board.id().toString(), first.snapshotId()).orElseThrow()
        .entries(MetadataKind.WORK_ITEM)).as("the earlier snapshot keeps them").containsKeys("40", "41");
  }

  @Test
  void anEditedCommentWithoutANewRevisionIsInASnapshotWithinAWeekOfDailyRuns() {
    dev.bunker.sandbox.Project board = aProject("edited-comment", 100);
    backUp(board);
    board.workItems().get(42).editComment(1, "<div>Edited: it was the cache</div>");
    assertThat(board.workItems().get(42).rev()).as("no new revision").isEqualTo(1);

    Optional<MetadataSnapshot> caught = Optional.empty();
    for (int day = 1; day <= WorkItemExport.COMMENT_SLICES && caught.isEmpty(); day++) {
      time.sleep(Duration.ofDays(1));
      MetadataSnapshot snapshot = backUp(board);
      if (text(snapshot, MetadataKind.WORK_ITEM_COMMENTS, "42").contains("it was the cache")) {
        caught = Optional.of(snapshot);
      }
    }
    assertThat(caught).as("caught within " + WorkItemExport.COMMENT_SLICES + " daily runs").isPresent();
  }

  @Test
  void aWatermarkAzureDevOpsNoLongerTakesMeansOneFullRead() {
    dev.bunker.sandbox.Project board = aProject("stale-watermark", 50);
    String project = board.id().toString();
    SnapshotWriter writer = store.begin("org1", project, "Board", "20260201T010000Z-00000009",
        time.instant(), Optional.empty());
    writer.put(MetadataKind.WORK_ITEM_WATERMARK, "reporting",
        "{\"continuationToken\":\"expired\"}".getBytes(StandardCharsets.UTF_8));
    writer.commit();

    MetadataSnapshot snapshot = backUp(board);

    assertThat(snapshot.count(MetadataKind.WORK_ITEM)).isEqualTo(50);
    assertThat(calls(board)).filteredOn(r -> r.path().endsWith("/wiql")).isNotEmpty();
    assertThat(text(snapshot, MetadataKind.WORK_ITEM_WATERMARK, "reporting")).doesNotContain("expired");
  }
}
