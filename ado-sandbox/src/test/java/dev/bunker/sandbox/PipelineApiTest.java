package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's release definition, task group, environment, service connection and queue APIs over HTTP. */
class PipelineApiTest extends SandboxApiTest {

  @Test
  void releaseDefinitionsArePagedReadWholeAndKeepEveryRevisionWithoutSecrets() throws Exception {
    Project web = sandbox.organization("releases").project("Web");
    Pipelines.TaskGroup deploy = web.pipelines().taskGroup("Deploy");
    ReleaseDefinition release = web.pipelines().releaseDefinition("Release").secretVariable("apiKey", "k3y")
        .stage("Production", web.pipelines().queue("Linux"), null, null, deploy);
    web.pipelines().releaseDefinition("Hotfix");
    web.pipelines().releaseDefinition("Nightly");
    String base = web.organization().url() + "/Web/_apis/release/definitions";

    HttpResponse<String> first = send("GET", base + "?$top=2&api-version=7.1", null);
    assertThat(JSON.readTree(first.body()).path("value")).hasSize(2);
    String token = first.headers().firstValue("x-ms-continuationtoken").orElseThrow();
    HttpResponse<String> last = send("GET", base + "?$top=2&continuationToken=" + token + "&api-version=7.1", null);
    assertThat(JSON.readTree(last.body()).path("value")).extracting(d -> d.path("name").asText())
        .containsExactly("Nightly");
    assertThat(last.headers().firstValue("x-ms-continuationtoken")).isEmpty();
    assertThat(JSON.readTree(first.body()).path("value").get(0).has("environments")).as("lists leave stages out")
        .isFalse();

    JsonNode whole = JSON.readTree(send("GET", base + "/1?api-version=7.1", null).body());
    assertThat(whole.path("revision").asInt()).isEqualTo(release.revision()).isEqualTo(3);
    assertThat(whole.path("variables").path("apiKey").path("value").isNull()).isTrue();
    HttpResponse<String> revision = send("GET", base + "/1/revisions/2?api-version=7.1", null);
    assertThat(revision.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(JSON.readTree(revision.body()).path("environments")).isEmpty();
    assertThat(revision.body()).doesNotContain("k3y");
    assertThat(JSON.readTree(send("GET", base + "/1/revisions?api-version=7.1", null).body()).path("value")).hasSize(3);
  }

  @Test
  void creatingADefinitionThatNamesWhatTheProjectLacksIsRefused() throws Exception {
    Project source = sandbox.organization("create").project("Source");
    Project target = sandbox.organization("create").project("Target");
    Pipelines.TaskGroup sourceGroup = source.pipelines().taskGroup("Deploy");
    JsonNode definition = JSON.readTree(send("GET", source.organization().url() + "/Source/_apis/release/definitions/"
        + source.pipelines().releaseDefinition("Release").stage("Production", source.pipelines().queue("Linux"), null,
            null, sourceGroup).id()
        + "?api-version=7.1", null).body());
    String targetBase = target.organization().url() + "/Target/_apis/release/definitions?api-version=7.1";

    HttpResponse<String> refused = send("POST", targetBase, definition);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("No agent queue found");
    assertThat(target.pipelines().releaseDefinitions()).isEmpty();

    ObjectNode mapped = definition.deepCopy();
    JsonNode phase = mapped.path("environments").get(0).path("deployPhases").get(0);
    ((ObjectNode) phase.path("deploymentInput")).put("queueId", target.pipelines().queue("Linux").id());
    assertThat(send("POST", targetBase, mapped).body()).contains("Task group " + sourceGroup.id());
    ((ObjectNode) phase.path("workflowTasks").get(0)).put("taskId",
        target.pipelines().taskGroup("Deploy").id().toString());
    HttpResponse<String> created = send("POST", targetBase, mapped);
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(target.pipelines().releaseDefinitions()).extracting(ReleaseDefinition::name).containsExactly("Release");
  }

  @Test
  void resourcesAnswerInAzureDevOpsShapesWithoutSecrets() throws Exception {
    Project web = sandbox.organization("resources").project("Web");
    web.pipelines().environment("production").kubernetesResource("web").approval("Kim Lead");
    web.pipelines().serviceConnection("arm", "azurerm", "ServicePrincipal",
        Map.of("serviceprincipalid", "app", "serviceprincipalkey", "s3cret"), List.of("serviceprincipalkey"));
    String base = web.organization().url() + "/Web/_apis/";

    JsonNode environment = JSON.readTree(send("GET", base + "distributedtask/environments/1?expands=resourceReferences"
        + "&api-version=7.1", null).body());
    assertThat(environment.path("resources").get(0).path("name").asText()).isEqualTo("web");
    String checks = base + "pipelines/checks/configurations?resourceType=environment&resourceId=1&api-version=7.1";
    assertThat(send("GET", checks, null).statusCode()).as("checks are a preview API").isEqualTo(400);
    assertThat(JSON.readTree(send("GET", checks + "-preview.1", null).body()).path("value").get(0)
        .path("settings").path("approvers").get(0).path("displayName").asText()).isEqualTo("Kim Lead");
    String endpoints = send("GET", base + "serviceendpoint/endpoints?api-version=7.1", null).body();
    assertThat(endpoints).contains("\"serviceprincipalkey\":null").doesNotContain("s3cret");
    JsonNode queues = JSON.readTree(send("GET", base + "distributedtask/queues?api-version=7.1", null).body());
    assertThat(queues.path("value")).extracting(q -> q.path("name").asText()).containsExactly("Azure Pipelines",
        "Default");
    JsonNode pools = JSON.readTree(send("GET", web.organization().url() + "/_apis/distributedtask/pools?poolIds=9"
        + "&api-version=7.1", null).body());
    assertThat(pools.path("value")).extracting(p -> p.path("name").asText()).containsExactly("Azure Pipelines");
  }

  @Test
  void taskGroupsComeNewestFirstInPagesWithACreationTimeToken() throws Exception {
    Project web = sandbox.organization("task-group-pages").pageSize(2).project("Web");
    List.of("Build", "Test", "Deploy").forEach(web.pipelines()::taskGroup);
    String base = web.organization().url() + "/Web/_apis/distributedtask/taskgroups?api-version=7.1";

    HttpResponse<String> first = send("GET", base, null);
    assertThat(JSON.readTree(first.body()).path("value")).extracting(t -> t.path("name").asText())
        .as("a page is capped without $top too").containsExactly("Deploy", "Test");
    String token = first.headers().firstValue("x-ms-continuationtoken").orElseThrow();
    assertThat(token).isEqualTo(JSON.readTree(send("GET", base + "&queryOrder=createdOnAscending", null).body())
        .path("value").get(0).path("createdOn").asText());
    HttpResponse<String> last = send("GET", base + "&continuationToken=" + token, null);
    assertThat(JSON.readTree(last.body()).path("value")).extracting(t -> t.path("name").asText())
        .containsExactly("Build");
    assertThat(last.headers().firstValue("x-ms-continuationtoken")).isEmpty();
    assertThat(send("GET", base + "&continuationToken=12", null).statusCode()).isEqualTo(400);
  }

  @Test
  void aServer2020CollectionHasNoChecksApi() throws Exception {
    Project web = sandbox.collection("checks2020/DefaultCollection").project("Web");
    web.pipelines().environment("production").approval("Kim Lead");
    String checks = web.organization().url() + "/Web/_apis/pipelines/checks/configurations"
        + "?resourceType=environment&resourceId=1&api-version=6.0-preview.1";

    assertThat(send("GET", checks, null).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> send(String method, String url, JsonNode body) throws Exception {
    return send(method, url, "application/json", body == null ? null : JSON.writeValueAsString(body));
  }
}
