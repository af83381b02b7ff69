package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The sandbox's boards and project settings APIs over HTTP: paging, and what Azure DevOps refuses. */
class BoardsApiTest extends SandboxApiTest {

  @Test
  void refusesWhatAzureDevOpsRefusesAndChangesNothing() throws Exception {
    Project web = sandbox.organization("refusals").project("Web");
    web.boards().sharedQuery("Team/Bugs", "SELECT [System.Id] FROM WorkItems");
    String base = web.organization().url() + "/Web/";
    String team = base + "Web%20Team/_apis/work/";

    assertThat(send("GET", base + "_apis/wit/queries?$depth=3&api-version=7.1", null).statusCode()).isEqualTo(400);
    HttpResponse<String> duplicate = send("POST", base + "_apis/wit/classificationnodes/Iterations?api-version=7.1",
        "{\"name\":\"Sprint 1\"}");
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(duplicate.body()).contains("VS402371");
    assertThat(send("POST", base + "_apis/wit/queries/Shared%20Queries/Team?api-version=7.1",
        "{\"name\":\"Bugs\",\"wiql\":\"SELECT [System.Id] FROM WorkItems\"}").statusCode()).isEqualTo(409);
    assertThat(send("POST", base + "_apis/wit/queries/Shared%20Queries?api-version=7.1",
        "{\"name\":\"Broken\",\"wiql\":\"DELETE everything\"}").statusCode()).isEqualTo(400);

    JsonNode columns = json(send("GET", team + "boards/Stories/columns?api-version=7.1", null)).path("value");
    String renamed =
        columns.toString().replace(columns.get(0).path("id").asText(), "11111111-1111-1111-1111-111111111111");
    HttpResponse<String> wrongIncoming = send("PUT", team + "boards/Stories/columns?api-version=7.1", renamed);
    assertThat(wrongIncoming.statusCode()).isEqualTo(400);
    assertThat(json(send("GET", team + "boards/Stories/columns?api-version=7.1", null)).path("value"))
        .isEqualTo(columns);
    assertThat(send("PATCH", team + "teamsettings?api-version=7.1",
        "{\"backlogIteration\":\"22222222-2222-2222-2222-222222222222\",\"bugsBehavior\":\"off\"}").statusCode())
        .isEqualTo(400);
    assertThat(json(send("GET", team + "teamsettings?api-version=7.1", null)).path("bugsBehavior").asText())
        .isEqualTo("asRequirements");
    assertThat(send("GET", base + "Nobody/_apis/work/teamsettings?api-version=7.1", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", base + "Web%20Team/_apis/dashboard/dashboards?api-version=7.1", null).statusCode())
        .as("dashboards are a preview API").isEqualTo(400);
  }

  @Test
  void policiesAndTestCasesComeInPagesLinkedByContinuationTokens() throws Exception {
    Project web = sandbox.organization("paging").pageSize(2).project("Web");
    for (int i = 0; i < 3; i++) {
      web.boards().reviewerPolicy(web.repository("site"), "refs/heads/release-" + i, 1);
    }
    TestPlan.Suite suite = web.boards().testPlan("Regression").root().testCase(1).testCase(2).testCase(3);
    String base = web.organization().url() + "/Web/_apis/";

    HttpResponse<String> first = send("GET", base + "policy/configurations?api-version=7.1", null);
    assertThat(json(first).path("value")).hasSize(2);
    String token = first.headers().firstValue("x-ms-continuationtoken").orElseThrow();
    HttpResponse<String> last = send("GET", base + "policy/configurations?continuationToken=" + token
        + "&api-version=7.1", null);
    assertThat(json(last).path("value")).hasSize(1);
    assertThat(last.headers().firstValue("x-ms-continuationtoken")).isEmpty();
    String plan = json(send("GET", base + "testplan/plans?api-version=7.1", null)).path("value").get(0).path("id")
        .asText();
    HttpResponse<String> cases = send("GET", base + "testplan/Plans/" + plan + "/Suites/" + suite.id
        + "/TestCase?api-version=7.1", null);
    assertThat(json(cases).path("value")).hasSize(2);
    assertThat(cases.headers().firstValue("x-ms-continuationtoken")).contains("2");
  }

  @Test
  void aServer2020CollectionWantsThePreviewForWorkItemTypeStates() throws Exception {
    Project web = sandbox.collection("states2020/DefaultCollection").project("Web");
    String states = web.organization().url() + "/Web/_apis/wit/workitemtypes/Bug/states?api-version=6.0";

    HttpResponse<String> plain = send("GET", states, null);
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(plain.body()).path("typeKey").asText()).isEqualTo("VssInvalidPreviewVersionException");
    assertThat(json(send("GET", states + "-preview.1", null)).path("value")).isNotEmpty();
  }

  @Test
  void teamSettingsNameIterationsWithoutTheProject() throws Exception {
    Project web = sandbox.organization("settings-paths").project("Web");
    Boards.Node sprint = web.boards().iteration("Release 1/Sprint 13");
    web.boards().team("Backend").iteration(sprint).defaultIteration(sprint);
    String team = web.organization().url() + "/Web/Backend/_apis/work/teamsettings";

    JsonNode settings = json(send("GET", team + "?api-version=7.1", null));
    assertThat(settings.path("backlogIteration").path("path").asText()).isEmpty();
    assertThat(settings.path("defaultIteration").path("path").asText()).isEqualTo("\\Release 1\\Sprint 13");
    assertThat(json(send("GET", team + "/iterations?api-version=7.1", null)).path("value"))
        .extracting(i -> i.path("path").asText()).contains("Web\\Release 1\\Sprint 13");
  }

  @Test
  void usersJoinATeamsGroupThroughGraphBySubjectDescriptor() throws Exception {
    Organization organization = sandbox.organization("graph-members").member("Avery Tester");
    Team backend = organization.project("Web").boards().team("Backend");
    String apis = organization.url() + "/_apis/";

    JsonNode avery =
        json(send("GET", apis + "identities?searchFilter=General&filterValue=avery.tester%40sandbox.example"
            + "&api-version=7.1", null)).path("value").get(0);
    String subject = avery.path("subjectDescriptor").asText();
    assertThat(subject).startsWith("aad.");
    assertThat(avery.path("descriptor").asText()).startsWith("Microsoft.IdentityModel.Claims.ClaimsIdentity;");
    assertThat(json(send("GET", apis + "identities?descriptors=" + subject + "&api-version=7.1", null)).path("value"))
        .as("a subject descriptor is no identity descriptor").isEmpty();
    assertThat(json(send("GET", apis + "identities?subjectDescriptors=" + subject + "&api-version=7.1", null))
        .path("value")).hasSize(1);

    String group = json(send("GET", apis + "graph/descriptors/" + backend.id() + "?api-version=7.1", null))
        .path("value").asText();
    assertThat(group).startsWith("vssgp.");
    String membership = apis + "graph/memberships/" + subject + "/" + group + "?api-version=7.1";
    assertThat(send("PUT", membership, "{}").statusCode()).as("Memberships_Add is a preview").isEqualTo(400);
    assertThat(send("PUT", membership + "-preview.1", "{}").statusCode()).isEqualTo(201);
    assertThat(backend.members()).contains("Avery Tester");
    assertThat(send("PUT", apis + "identities/" + backend.id() + "/members/" + avery.path("id").asText()
        + "?api-version=7.1", "{}").statusCode()).as("no such documented route").isEqualTo(404);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> send(String method, String url, String body) throws Exception {
    return send(method, url, "application/json", body);
  }
}
