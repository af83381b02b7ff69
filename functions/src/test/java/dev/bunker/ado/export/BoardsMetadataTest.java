package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.restore.AzureDevOpsRestore;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.Omission;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreLedger;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.Boards;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.Team;
import dev.bunker.sandbox.TestPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Boards and project settings of a sandbox project over real HTTP: area and iteration paths,
 * process, work item types, queries, teams with settings, boards and dashboards, branch policies
 * and test plans; backed up into content-addressed snapshots and restored into an empty project.
 */
class BoardsMetadataTest extends SandboxMetadataTest {

  BoardsMetadataTest() {
    super(4);
  }

  private static final String DEEP_AREA = String.join("/", IntStream.rangeClosed(1, 12).mapToObj(i -> "Level " + i)
      .toList());
  private static final String UNTRIAGED = "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project"
      + " AND [System.AreaPath] UNDER 'Web\\Backend\\API' AND [System.State] = 'New'";

  /**
   * Project Web: a 13-level area tree, a release iteration, shared queries four folders deep,
   * someone's personal query, four teams (lists come two to a page), a customised board and
   * dashboard, three branch policies and two test plans.
   */
  private static Project aProject(String organizationName) {
    return aProject(sandbox.organization(organizationName));
  }

  private static Project aProject(Organization organization) {
    Project web = organization.pageSize(2).project("Web").workItems(12);
    Boards boards = web.boards();
    boards.area(DEEP_AREA);
    boards.iteration("Release 1/Sprint 13").dates(LocalDate.of(2024, 7, 1), LocalDate.of(2024, 7, 12));
    boards.sharedQuery("Active bugs", "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project"
        + " AND [System.WorkItemType] = 'Bug'");
    Boards.Query untriaged = boards.sharedQuery("Backend/API/Triage/Untriaged", UNTRIAGED);
    boards.personalQueryOf("Sam Developer", "My bugs", "SELECT [System.Id] FROM WorkItems");
    Team backend = boards.team("Backend").area(boards.area("Backend/API"))
        .iteration(boards.iteration("Release 1/Sprint 13")).bugsBehavior("asTasks");
    List.of("Avery Tester", "Sam Developer", "Robin Ops", "Alex Design", "Jo Product").forEach(backend::member);
    backend.board("Stories").column("Review").swimlane("Expedite");
    backend.dashboard("Health").widget("Active bugs", "ms.vss-dashboards-web.QueryScalarWidget")
        .widget("Velocity", "ms.vss-dashboards-web.VelocityWidget")
        .widget("Untriaged", "ms.vss-dashboards-web.QueryScalarWidget", "{\"queryId\":\"" + untriaged.id() + "\"}");
    boards.team("Frontend");
    boards.team("Ops");
    HostedRepository site = web.repository("site");
    HostedRepository api = web.repository("api");
    boards.reviewerPolicy(site, "refs/heads/main", 2).reviewerPolicy(api, "refs/heads/main", 1)
        .reviewerPolicy(site, "refs/heads/release", 2);
    TestPlan regression = boards.testPlan("Release 1 regression");
    regression.root().suite("Login").testCase(1).testCase(2).testCase(3).testCase(4).testCase(5);
    regression.root().suite("Checkout").suite("Payment").testCase(6);
    boards.testPlan("Smoke").root().testCase(7);
    return web;
  }

  /** The document of {@code kind} whose field {@code field} is {@code value}. */
  private JsonNode find(MetadataSnapshot snapshot, MetadataKind kind, String field, String value) throws Exception {
    return find(snapshot, kind, "", field, value);
  }

  /** The document of {@code kind}, with an id starting with {@code idPrefix}, whose {@code field} is {@code value}. */
  private JsonNode find(MetadataSnapshot snapshot, MetadataKind kind, String idPrefix, String field, String value)
      throws Exception {
    for (String id : snapshot.entries(kind).keySet()) {
      JsonNode doc = document(snapshot, kind, id);
      if (id.startsWith(idPrefix) && doc.path(field).asText().equals(value)) {
        return doc;
      }
    }
    throw new AssertionError("no " + kind.key() + " with " + field + " " + value);
  }

  /** The node at {@code path} below a classification tree's root, or a missing node. */
  private static JsonNode node(JsonNode tree, String path) {
    JsonNode node = tree;
    for (String name : path.split("/")) {
      node = StreamSupport.stream(node.path("children").spliterator(), false)
          .filter(c -> c.path("name").asText().equals(name)).findFirst().orElse(JSON.missingNode());
    }
    return node;
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.path(field).asText()));
    return names;
  }

  @Test
  void backsUpEveryKindOfBoardAndProjectSetting() throws Exception {
    Project web = aProject("every-kind");

    MetadataSnapshot snapshot = backup(web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("classificationNodes", 2).containsEntry("workItemType", 6)
        .containsEntry("process", 1).containsEntry("processWorkItemType", 6).containsEntry("query", 7)
        .containsEntry("team", 4).containsEntry("teamSettings", 4).containsEntry("board", 12)
        .containsEntry("dashboard", 5).containsEntry("policyConfiguration", 3).containsEntry("testPlan", 2)
        .containsEntry("testSuite", 5);
    JsonNode areas = document(snapshot, MetadataKind.CLASSIFICATION_NODES, "areas");
    assertThat(node(areas, "Backend/API").path("name").asText()).isEqualTo("API");
    assertThat(node(areas, DEEP_AREA).path("name").asText()).as("below the depth one call returns")
        .isEqualTo("Level 12");
    JsonNode sprint13 =
        node(document(snapshot, MetadataKind.CLASSIFICATION_NODES, "iterations"), "Release 1/Sprint 13");
    assertThat(sprint13.path("attributes").path("startDate").asText()).isEqualTo("2024-07-01T00:00:00Z");

    JsonNode bug = document(snapshot, MetadataKind.WORK_ITEM_TYPE, "Custom.Bug");
    assertThat(names(bug.path("states"), "name")).containsExactly("New", "Active", "Resolved", "Closed");
    JsonNode process = document(snapshot, MetadataKind.PROCESS, snapshot.entries(MetadataKind.PROCESS).keySet()
        .iterator().next());
    assertThat(process.path("customizationType").asText()).isEqualTo("inherited");
    assertThat(process.has("projects")).isFalse();
    assertThat(names(process.path("behaviors"), "name")).contains("Epics", "Stories");
    JsonNode processBug = document(snapshot, MetadataKind.PROCESS_WORK_ITEM_TYPE,
        process.path("typeId").asText() + "/Custom.Bug");
    assertThat(processBug.path("rules")).hasSize(1);
    assertThat(processBug.path("layout").path("pages")).isNotEmpty();
    assertThat(processBug.path("fields")).isNotEmpty();
    assertThat(names(processBug.path("states"), "name")).contains("Resolved");

    JsonNode untriaged = find(snapshot, MetadataKind.QUERY, "path", "Shared Queries/Backend/API/Triage/Untriaged");
    assertThat(untriaged.path("wiql").asText()).isEqualTo(UNTRIAGED);
    assertThat(untriaged.has("lastExecutedDate")).as("changes on every run of the query").isFalse();
    assertThat(snapshot.notBackedUp()).extracting(Omission::kind, Omission::id)
        .contains(tuple("query", "My Queries of other people"));
    assertThat(sandbox.requests(r -> r.path().startsWith("/every-kind/") && r.path().contains("/wit/queries/")))
        .as("only the folder below the depth of the first call is read again").hasSize(1);

    JsonNode backendTeam = find(snapshot, MetadataKind.TEAM, "name", "Backend");
    String teamId = backendTeam.path("id").asText();
    assertThat(backendTeam.path("members")).as("six members, two to a page").hasSize(6);
    JsonNode settings = document(snapshot, MetadataKind.TEAM_SETTINGS, teamId);
    assertThat(settings.path("settings").path("bugsBehavior").asText()).isEqualTo("asTasks");
    assertThat(settings.path("teamFieldValues").path("defaultValue").asText()).isEqualTo("Web\\Backend\\API");
    assertThat(names(settings.path("iterations"), "path")).contains("Web\\Release 1\\Sprint 13");
    JsonNode stories = find(snapshot, MetadataKind.BOARD, teamId + "/", "name", "Stories");
    assertThat(names(stories.path("columns"), "name")).contains("Review").hasSize(5);
    assertThat(names(stories.path("rows"), "name")).contains("Expedite");
    assertThat(stories.path("cardSettings").path("cards").path("User Story")).isNotEmpty();
    assertThat(stories.path("cardRules").path("rules").path("fill")).hasSize(1);
    JsonNode health = find(snapshot, MetadataKind.DASHBOARD, teamId + "/", "name", "Health");
    assertThat(names(health.path("widgets"), "name")).containsExactly("Active bugs", "Velocity", "Untriaged");
    assertThat(health.has("lastAccessedDate")).as("changes whenever someone looks").isFalse();

    assertThat(snapshot.entries(MetadataKind.POLICY_CONFIGURATION).keySet()).containsExactlyInAnyOrder("1", "2", "3");
    assertThat(document(snapshot, MetadataKind.POLICY_CONFIGURATION, "2").path("settings").path("scope").get(0)
        .path("repositoryId").asText()).isEqualTo(web.repository("api").id().toString());
    JsonNode login = find(snapshot, MetadataKind.TEST_SUITE, "name", "Login");
    assertThat(login.path("testCases")).extracting(c -> c.path("workItem").path("id").asInt())
        .as("five test cases, two to a page").containsExactly(1, 2, 3, 4, 5);
    assertThat(find(snapshot, MetadataKind.TEST_PLAN, "name", "Smoke").path("rootSuite").path("id").asInt())
        .isPositive();
  }

  @Test
  void backsUpAServer2020CollectionThroughThePreviewVersionsItHad() {
    backsUpAServerCollectionThroughThePreviewVersionsItHad(sandbox.collection("server2020/DefaultCollection"), "6.0");
  }

  @Test
  void backsUpAServer2019CollectionThroughThePreviewVersionsItHad() {
    backsUpAServerCollectionThroughThePreviewVersionsItHad(
        sandbox.collection("server2019/DefaultCollection").maxApiVersion("5.0"), "5.0");
  }

  /** Work item type states, test plans and their test cases each with the preview its spec names. */
  private void backsUpAServerCollectionThroughThePreviewVersionsItHad(Organization collection, String version) {
    Project web = aProject(collection);

    MetadataSnapshot snapshot = backup(web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("process", 1).containsEntry("processWorkItemType", 6)
        .containsEntry("workItemType", 6).containsEntry("testPlan", 2).containsEntry("testSuite", 5)
        .containsEntry("dashboard", 5);
    assertThat(snapshot.notBackedUp()).extracting(Omission::kind).contains("query")
        .doesNotContain("workItemType", "testPlan", "testSuite");
    String path = "/" + collection.path() + "/";
    assertThat(sandbox.requests(r -> r.path().startsWith(path) && r.path().endsWith("/states")))
        .isNotEmpty()
        .allMatch(r -> r.status() == 200 && r.queryParameter("api-version").equals(version + "-preview.1"));
    assertThat(sandbox.requests(r -> r.path().startsWith(path) && r.path().contains("/testplan/")))
        .isNotEmpty().allMatch(r -> r.status() == 200 && r.queryParameter("api-version").equals(version
            + (r.path().endsWith("/TestCase") ? "-preview.2" : "-preview.1")));
  }

  @Test
  void aTeamsDashboardsThatCannotBeReadAreListedAndTheRestIsBackedUp() {
    Project web = aProject("forbidden");
    Team ops = web.boards().team("Ops").forbidDashboards();

    MetadataSnapshot snapshot = backup(web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("team", 4).containsEntry("teamSettings", 4).containsEntry("board", 12)
        .containsEntry("dashboard", 4);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("dashboard")).singleElement()
        .satisfies(o -> assertThat(o.id()).isEqualTo(ops.id().toString()))
        .satisfies(o -> assertThat(o.reason()).contains("dashboards of team Ops could not be read", "403"));
  }

  @Test
  void aRunWithoutChangesStoresNothingNewAndAChangedQueryOneDocument() {
    Project web = aProject("unchanged");
    MetadataSnapshot first = backup(web, "20260301T010000Z-00000001");

    MetadataSnapshot second = backup(web, "20260302T010000Z-00000002");
    web.boards().sharedQuery("Active bugs", "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project"
        + " AND [System.WorkItemType] = 'Bug' AND [System.State] <> 'Closed'");
    MetadataSnapshot third = backup(web, "20260303T010000Z-00000003");

    assertThat(second.stats().objectsWritten()).isZero();
    assertThat(second.entries()).isEqualTo(first.entries());
    assertThat(third.stats().objectsWritten()).isEqualTo(1);
    List<String> changed = new ArrayList<>();
    third.entries().forEach((kind, byId) -> byId.forEach((id, hash) -> {
      if (!hash.equals(second.entries().get(kind).get(id))) {
        changed.add(kind + "/" + id);
      }
    }));
    assertThat(changed).hasSize(1).allMatch(c -> c.startsWith("query/"));
  }

  @Test
  void throttlingIsHonouredAndChangesNothing() {
    Project web = aProject("throttled");
    MetadataSnapshot calm = backup(web, "20260301T010000Z-00000001");
    sandbox.faults().throttleNext(1, Duration.ofSeconds(9)).failNext(1, 503);
    time.forgetSleeps();

    MetadataSnapshot stormy = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time).backup("org1",
        ref(web), "20260301T010000Z-00000001", AzureDevOpsMetadata.of(client, url(web), pat));

    assertThat(stormy.entries()).isEqualTo(calm.entries());
    assertThat(stormy.notBackedUp()).isEqualTo(calm.notBackedUp());
    assertThat(time.sleeps()).contains(Duration.ofSeconds(9));
  }

  @Test
  void restoresATeamsFixedDefaultIterationThoughSettingsLeaveTheProjectOutOfItsPath() throws Exception {
    Project source = sandbox.organization("default-iteration").project("Web");
    Boards.Node sprint13 = source.boards().iteration("Release 1/Sprint 13");
    source.boards().team("Backend").iteration(sprint13).defaultIteration(sprint13);
    MetadataSnapshot snapshot = backup(source, "20260301T010000Z-00000001");
    String sourceBackend = find(snapshot, MetadataKind.TEAM, "name", "Backend").path("id").asText();
    assertThat(document(snapshot, MetadataKind.TEAM_SETTINGS, sourceBackend).path("settings")
        .path("defaultIteration").path("path").asText()).isEqualTo("\\Release 1\\Sprint 13");
    Project target = sandbox.organization("default-iteration").project("Empty");

    RestoreReport report = restore(source, "20260301T010000Z-00000001", target);

    assertThat(report.notes()).noneMatch(n -> n.contains("iteration"));
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    String backend = find(restored, MetadataKind.TEAM, "name", "Backend").path("id").asText();
    JsonNode settings = document(restored, MetadataKind.TEAM_SETTINGS, backend).path("settings");
    assertThat(settings.path("defaultIteration").path("path").asText()).isEqualTo("\\Release 1\\Sprint 13");
    assertThat(settings.has("defaultIterationMacro")).isFalse();
  }

  @Test
  void leavesTheBoardColumnsOfATeamTheTargetHoldsAsTheyAreAndSaysSo() throws Exception {
    Project source = sandbox.organization("live-target").project("Web");
    source.boards().team("Web Team").board("Stories").column("Review");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("live-target").project("Live");
    target.boards().team("Live Team").board("Stories").column("Blocked");
    MetadataSnapshot before = backup(target, "20260302T010000Z-00000002");
    String liveTeam = find(before, MetadataKind.TEAM, "name", "Live Team").path("id").asText();
    List<String> columns = names(find(before, MetadataKind.BOARD, liveTeam + "/", "name", "Stories").path("columns"),
        "name");

    RestoreReport report = restore(source, "20260301T010000Z-00000001", target);

    assertThat(report.skipped()).anyMatch(s -> s.startsWith("team Live Team (its settings, boards and dashboards)"));
    assertThat(report.created()).doesNotContainKeys("team", "teamSettings", "board", "dashboard");
    MetadataSnapshot after = backup(target, "20260303T010000Z-00000003");
    assertThat(names(find(after, MetadataKind.BOARD, liveTeam + "/", "name", "Stories").path("columns"), "name"))
        .isEqualTo(columns).contains("Blocked").doesNotContain("Review");
  }

  @Test
  void restoresATeamTheTargetHoldsBesideItWhenToldToRename() throws Exception {
    Project source = sandbox.organization("rename-target").project("Web");
    source.boards().team("Web Team").board("Stories").column("Review");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("rename-target").project("Live");
    target.boards().team("Live Team").board("Stories").column("Blocked");

    RestoreReport report = new MetadataRestore(store).restore(ORGANIZATION_ID, source.id().toString(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat), OnConflict.RENAME,
        RestoreLedger.inMemory());

    assertThat(report.renamed())
        .contains("team Live Team (its settings, boards and dashboards) → Live Team (restored)");
    MetadataSnapshot after = backup(target, "20260302T010000Z-00000002");
    String live = find(after, MetadataKind.TEAM, "name", "Live Team").path("id").asText();
    String restored = find(after, MetadataKind.TEAM, "name", "Live Team (restored)").path("id").asText();
    assertThat(names(find(after, MetadataKind.BOARD, live + "/", "name", "Stories").path("columns"), "name"))
        .contains("Blocked").doesNotContain("Review");
    assertThat(names(find(after, MetadataKind.BOARD, restored + "/", "name", "Stories").path("columns"), "name"))
        .contains("Review").doesNotContain("Blocked");
  }

  @Test
  void restoresPathsQueriesAndTeamsIntoAnEmptyProjectWithWorkItemsOnTheirPaths() throws Exception {
    Project source = aProject("restore");
    source.workItems().get(3).update("System.AreaPath", "Web\\Backend\\API");
    source.workItems().get(4).update("System.IterationPath", "Web\\Release 1\\Sprint 13");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("restore").project("Empty");
    ProjectRef targetRef = ref(target);
    sandbox.faults().throttleNext(1, Duration.ofSeconds(2));

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", targetRef, AzureDevOpsRestore.of(client, url(target), pat));

    // Areas Backend, API and Level 1-12; iterations Release 1 and Sprint 13 (Sprints 1-12 were there).
    // Teams Backend, Frontend and Ops are new; the target's default team is its own, left as it is.
    assertThat(report.created()).containsEntry("classificationNodes", 16).containsEntry("query", 5)
        .containsEntry("workItem", 12).containsEntry("team", 3).containsEntry("teamSettings", 3)
        .containsEntry("board", 9).containsEntry("dashboard", 4).containsEntry("testPlan", 2)
        .containsEntry("testSuite", 3).containsEntry("testCase", 7);
    assertThat(report.skipped()).containsExactly(
        "team Empty Team (its settings, boards and dashboards): the target project holds one of this name; left as it is");
    assertThat(report.notes()).anyMatch(n -> n.contains("not restored") && n.contains("process"))
        .anyMatch(n -> n.contains("branch policy") && n.contains("repository site is not in the target"))
        .anyMatch(n -> n.contains("team members"));
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    JsonNode areas = document(restored, MetadataKind.CLASSIFICATION_NODES, "areas");
    assertThat(node(areas, DEEP_AREA).path("name").asText()).isEqualTo("Level 12");
    JsonNode sprint13 =
        node(document(restored, MetadataKind.CLASSIFICATION_NODES, "iterations"), "Release 1/Sprint 13");
    assertThat(sprint13.path("attributes").path("finishDate").asText()).isEqualTo("2024-07-12T00:00:00Z");
    JsonNode untriaged = find(restored, MetadataKind.QUERY, "path", "Shared Queries/Backend/API/Triage/Untriaged");
    assertThat(untriaged.path("wiql").asText()).isEqualTo(UNTRIAGED.replace("'Web\\", "'Empty\\"));
    String backendId = find(restored, MetadataKind.TEAM, "name", "Backend").path("id").asText();
    JsonNode settings = document(restored, MetadataKind.TEAM_SETTINGS, backendId);
    assertThat(settings.path("settings").path("bugsBehavior").asText()).isEqualTo("asTasks");
    assertThat(settings.path("teamFieldValues").path("defaultValue").asText()).isEqualTo("Empty\\Backend\\API");
    assertThat(names(settings.path("iterations"), "path")).contains("Empty\\Release 1\\Sprint 13");
    JsonNode stories = find(restored, MetadataKind.BOARD, backendId + "/", "name", "Stories");
    assertThat(names(stories.path("columns"), "name")).containsExactly("New", "Active", "Resolved", "Review", "Closed");
    assertThat(names(stories.path("rows"), "name")).contains("Expedite");
    assertThat(find(restored, MetadataKind.TEAM, "name", "Empty Team").path("id").asText())
        .as("the default team is the target's own").isNotBlank();
    JsonNode health = find(restored, MetadataKind.DASHBOARD, backendId + "/", "name", "Health");
    assertThat(names(health.path("widgets"), "name")).containsExactly("Active bugs", "Velocity", "Untriaged");
    String restoredQuery = find(restored, MetadataKind.QUERY, "path", "Shared Queries/Backend/API/Triage/Untriaged")
        .path("id").asText();
    assertThat(health.path("widgets").get(2).path("settings").asText()).as("points at the restored query")
        .isEqualTo("{\"queryId\":\"" + restoredQuery + "\"}");
    Map<String, String> ids = report.workItemIds();
    JsonNode login = find(restored, MetadataKind.TEST_SUITE, "name", "Login");
    assertThat(login.path("testCases")).extracting(c -> c.path("workItem").path("id").asText())
        .containsExactly(ids.get("1"), ids.get("2"), ids.get("3"), ids.get("4"), ids.get("5"));
    assertThat(find(restored, MetadataKind.TEST_SUITE, "name", "Payment").path("parentSuite").path("name").asText())
        .isEqualTo("Checkout");
    JsonNode three = document(restored, MetadataKind.WORK_ITEM, ids.get("3")).path("fields");
    JsonNode four = document(restored, MetadataKind.WORK_ITEM, ids.get("4")).path("fields");
    JsonNode five = document(restored, MetadataKind.WORK_ITEM, ids.get("5")).path("fields");
    assertThat(three.path("System.AreaPath").asText()).isEqualTo("Empty\\Backend\\API");
    assertThat(four.path("System.IterationPath").asText()).isEqualTo("Empty\\Release 1\\Sprint 13");
    assertThat(five.path("System.IterationPath").asText()).isEqualTo("Empty\\Sprint 6");
    assertThat(five.path("System.AreaPath").asText()).isEqualTo("Empty");

    RestoreReport again = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", targetRef, AzureDevOpsRestore.of(client, url(target), pat));
    assertThat(again.created()).as("what the first restore made is there now: nothing is overwritten")
        .doesNotContainKeys("classificationNodes", "query", "team", "teamSettings", "board", "dashboard", "testPlan");
    assertThat(again.skipped()).anyMatch(n -> n.startsWith("query Shared Queries/Backend/API/Triage/Untriaged:"))
        .anyMatch(n -> n.startsWith("team Backend "));
    assertThat(sandbox.requests(r -> r.path().startsWith("/restore/") && r.status() == 429))
        .as("throttled, then retried")
        .isNotEmpty();
  }
}
