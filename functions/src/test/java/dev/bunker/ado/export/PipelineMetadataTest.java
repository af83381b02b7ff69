package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.Omission;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.BuildDefinition;
import dev.bunker.sandbox.Pipelines;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.sandbox.VariableGroup;
import dev.bunker.store.blob.InMemoryBlobs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Backups of a project's pipelines (release definitions, task groups, environments…) from the sandbox over HTTP. */
public class PipelineMetadataTest extends SandboxMetadataTest {

  PipelineMetadataTest() {
    super(2);
  }

  /** Secrets a project's pipelines hold; no stored byte may contain them. */
  public static final List<String> SECRETS = List.of("s1gn-me", "hunter2", "rel3ase-key", "pr0d-db", "sp-s3cret",
      "client-id-not-stored");

  /**
   * A project whose classic build and release definitions use a task group (which uses another),
   * a variable group and a queue of its own, with secrets at every level, three environments
   * (paged two at a time), service connections and a YAML pipeline.
   */
  public static Project aProject(Project web) {
    web.repository("Web");
    Pipelines pipelines = web.pipelines();
    Pipelines.AgentQueue linux = pipelines.queue("Linux agents");
    Pipelines.TaskGroup test = pipelines.taskGroup("Run tests");
    Pipelines.TaskGroup deploy = pipelines.taskGroup("Deploy site").step("Upload", "az storage blob upload").uses(test);
    VariableGroup shared = web.variableGroup("shared").variable("region", "westeurope").secret("dbPassword", "hunter2");
    BuildDefinition ci = web.buildDefinition("ci").variable("configuration", "Release")
        .secretVariable("signingKey", "s1gn-me").queue(linux).variableGroup(shared.id()).step(test);
    web.buildDefinition("nightly").yamlFilename("nightly.yml");
    pipelines.releaseDefinition("Release web").variable("channel", "stable").secretVariable("apiKey", "rel3ase-key")
        .variableGroup(shared).buildArtifact(ci)
        .stage("Test", linux, null, null, test)
        .stage("Production", pipelines.queue("Azure Pipelines"), "dbPassword", "pr0d-db", deploy);
    pipelines.releaseDefinition("Hotfix").gitArtifact(web.repository("Web")).stage("Production", linux, null, null,
        deploy);
    pipelines.environment("test");
    pipelines.environment("staging").kubernetesResource("web-staging");
    pipelines.environment("production").kubernetesResource("web-prod").approval("Kim Lead");
    pipelines.serviceConnection("prod-subscription", "azurerm", "ServicePrincipal",
        Map.of("tenantid", "contoso-tenant", "serviceprincipalid", "client-id-not-stored",
            "serviceprincipalkey", "sp-s3cret"),
        List.of("serviceprincipalkey"));
    return web;
  }

  private MetadataSnapshot backup(MetadataStore store, Project project, String snapshotId) {
    return new MetadataBackup(store, time).backup("org1", ref(project), snapshotId,
        AzureDevOpsMetadata.of(client, url(project), pat, 4, 40));
  }

  private static JsonNode document(MetadataStore store, MetadataSnapshot snapshot, MetadataKind kind, String id)
      throws Exception {
    return JSON.readTree(store.object("org1", snapshot.hash(kind, id).orElseThrow()));
  }

  private static List<RecordedRequest> calls(Project project) {
    return sandbox.requests(r -> r.path().startsWith("/" + project.organization().path() + "/"));
  }

  @Test
  void backsUpEveryPipelineKindWithoutItsSecrets() throws Exception {
    Project web = aProject(sandbox.organization("pipelines").project("Web"));
    MetadataStore store = new MetadataStore(TestBlobs.inMemory());
    sandbox.clearRequests();

    MetadataSnapshot snapshot = backup(store, web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("buildDefinition", 2).containsEntry("variableGroup", 1)
        .containsEntry("releaseDefinition", 2).containsEntry("releaseDefinitionHistory", 2)
        .containsEntry("taskGroup", 2).containsEntry("environment", 3)
        .containsEntry("serviceConnection", 1).containsEntry("agentQueue", 3).containsEntry("pipeline", 2);
    int releaseRevisions = web.pipelines().releaseDefinitions().stream().mapToInt(d -> d.revision()).sum();
    assertThat(snapshot.count(MetadataKind.RELEASE_DEFINITION_REVISION)).as("every revision of both")
        .isEqualTo(releaseRevisions).isGreaterThan(2);

    JsonNode release = document(store, snapshot, MetadataKind.RELEASE_DEFINITION, "1");
    assertThat(release.path("environments")).extracting(e -> e.path("name").asText()).containsExactly("Test",
        "Production");
    assertThat(release.path("environments").get(1).path("deployPhases").get(0).path("workflowTasks").get(0)
        .path("taskId").asText()).isEqualTo(web.pipelines().taskGroups().get(1).id().toString());
    assertThat(document(store, snapshot, MetadataKind.RELEASE_DEFINITION_REVISION, "1/1").path("revision").asInt())
        .isEqualTo(1);
    assertThat(document(store, snapshot, MetadataKind.RELEASE_DEFINITION_HISTORY, "1").path("revisions"))
        .extracting(r -> r.path("changeType").asText()).first().isEqualTo("add");
    JsonNode production = document(store, snapshot, MetadataKind.ENVIRONMENT, "3");
    assertThat(production.path("resources").get(0).path("name").asText()).isEqualTo("web-prod");
    assertThat(production.path("checks").get(0).path("type").path("name").asText()).isEqualTo("Approval");
    String connectionId = web.pipelines().serviceConnections().get(0).id().toString();
    JsonNode connection = document(store, snapshot, MetadataKind.SERVICE_CONNECTION, connectionId);
    assertThat(connection.path("authorization").path("scheme").asText()).isEqualTo("ServicePrincipal");
    assertThat(connection.path("authorization").has("parameters")).isFalse();
    String linuxQueue = Integer.toString(web.pipelines().queue("Linux agents").id());
    assertThat(document(store, snapshot, MetadataKind.AGENT_QUEUE, linuxQueue).path("pool").path("size").asInt())
        .as("the whole pool, not the queue's reference to it").isEqualTo(2);
    assertThat(document(store, snapshot, MetadataKind.PIPELINE, "2").path("configuration").path("path").asText())
        .isEqualTo("nightly.yml");

    assertThat(snapshot.notBackedUp()).extracting(Omission::kind, Omission::id).contains(
        tuple("releaseDefinitionSecret", "1/apiKey"), tuple("releaseDefinitionSecret", "1/Production/dbPassword"),
        tuple("serviceConnectionAuthorization", connectionId), tuple("buildDefinitionSecret", "1/signingKey"),
        tuple("variableGroupSecret", "1/dbPassword"));
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("serviceConnectionAuthorization"))
        .allMatch(o -> o.reason().contains("serviceprincipalkey") && o.reason().contains("enter them again"));
    assertNoSecretStored(store, snapshot);
    assertThat(calls(web)).filteredOn(r -> r.path().endsWith("/distributedtask/environments"))
        .as("three environments, two a page").hasSize(2);
    assertThat(calls(web)).allMatch(r -> r.status() == 200);
  }

  @Test
  void aServer2019CollectionHasNoEnvironmentsOrPipelinesAndItsQueuesAndPoolsAreRead() throws Exception {
    Project web = aProject(sandbox.collection("tfs/Pipelines2019").maxApiVersion("5.0").project("Web"));
    MetadataStore store = new MetadataStore(TestBlobs.inMemory());

    MetadataSnapshot snapshot = backup(store, web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("serviceConnection", 1).containsEntry("agentQueue", 3)
        .doesNotContainKeys("environment", "pipeline");
    String linuxQueue = Integer.toString(web.pipelines().queue("Linux agents").id());
    assertThat(document(store, snapshot, MetadataKind.AGENT_QUEUE, linuxQueue).path("pool").path("size").asInt())
        .as("the whole pool, read from all pools: 5.0 has no poolIds").isEqualTo(2);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("environment") || o.kind().equals("pipeline"))
        .extracting(Omission::kind, Omission::id, Omission::reason).containsExactlyInAnyOrder(
            tuple("environment", web.id().toString(),
                "not backed up, because Azure DevOps Server 2019 (api-version 5.0) has no such API"),
            tuple("pipeline", web.id().toString(),
                "not backed up, because Azure DevOps Server 2019 (api-version 5.0) has no such API"));
    assertThat(calls(web)).noneMatch(r -> r.path().contains("/environments") || r.path().endsWith("/_apis/pipelines"))
        .filteredOn(r -> r.path().contains("/distributedtask/") || r.path().contains("/serviceendpoint/"))
        .allMatch(r -> r.status() == 200 || r.query().contains("api-version=7.1"))
        .noneMatch(r -> r.query().contains("poolIds") || r.query().contains("continuationToken"));
  }

  @Test
  void aServer2020CollectionGetsEnvironmentsAndPipelinesAsPreviews() throws Exception {
    Project web = aProject(sandbox.collection("tfs/Pipelines2020").maxApiVersion("6.0").project("Web"));
    MetadataStore store = new MetadataStore(TestBlobs.inMemory());

    MetadataSnapshot snapshot = backup(store, web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("environment", 3).containsEntry("pipeline", 2)
        .containsEntry("serviceConnection", 1).containsEntry("agentQueue", 3);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> !o.id().endsWith("/checks")).as("checks start at 6.1")
        .extracting(Omission::kind).doesNotContain("environment", "pipeline", "agentQueues", "serviceConnections");
    assertThat(calls(web)).filteredOn(r -> r.path().contains("/distributedtask/pools"))
        .allMatch(r -> r.query().contains("api-version=6.0&") || r.query().endsWith("api-version=6.0")
            || r.query().contains("api-version=7.1"));
  }

  @Test
  void keepsEveryPageOfTaskGroups() {
    Project web = sandbox.organization("pipelines-task-groups").pageSize(2).project("Web");
    List<String> names = List.of("Build", "Test", "Package", "Deploy", "Smoke test");
    names.forEach(web.pipelines()::taskGroup);
    sandbox.clearRequests();

    MetadataSnapshot snapshot = backup(new MetadataStore(TestBlobs.inMemory()), web, "20260301T010000Z-00000001");

    assertThat(snapshot.entries().get(MetadataKind.TASK_GROUP.key()).keySet())
        .containsExactlyInAnyOrderElementsOf(
            web.pipelines().taskGroups().stream().map(t -> t.id().toString()).toList());
    assertThat(calls(web)).filteredOn(r -> r.path().endsWith("/_apis/distributedtask/taskgroups"))
        .as("three pages of two, each after the previous page's token").hasSize(3)
        .extracting(r -> r.queryParameter("continuationToken")).first().isNull();
  }

  @Test
  void aServer2020CollectionKeepsItsEnvironmentsAndSaysItsChecksHaveNoApi() {
    Project web = aProject(sandbox.collection("server2020-pipelines/DefaultCollection").project("Web"));
    sandbox.clearRequests();

    MetadataSnapshot snapshot = backup(new MetadataStore(TestBlobs.inMemory()), web, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("environment", 3);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.id().endsWith("/checks")).hasSize(3)
        .allMatch(o -> o.reason().endsWith("were not backed up, because Azure DevOps Server 2020 (api-version 6.0) "
            + "has no such API"));
    assertThat(calls(web)).as("approvalsAndChecks starts at 6.1").noneMatch(r -> r.path().contains("/checks/"));
  }

  @Test
  void asksForAReleaseDefinitionRevisionAsTheTextPlainItIs() throws Exception {
    // release/7.1/release.json Definitions_Get Definition Revision produces only text/plain. The
    // sandbox does not record headers, so a bare server hears what Accept the client sends.
    List<String> accepts = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      accepts.add(exchange.getRequestHeaders().getFirst("Accept"));
      byte[] revision = "{\"id\":1,\"revision\":1}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, revision.length);
      exchange.getResponseBody().write(revision);
      exchange.close();
    });
    server.start();
    try {
      String root = "http://127.0.0.1:" + server.getAddress().getPort();
      AzureDevOpsClient bare = AzureDevOpsClient.builder(AllowList.of(List.of(root + "/"))).build();
      byte[] answer = bare.exchange().getRaw(OrganizationUrl.parse(root + "/fabrikam"), pat,
          "Web/_apis/release/definitions/1/revisions/1", version -> version).bytes();

      assertThat(JSON.readTree(answer).path("revision").asInt()).isEqualTo(1);
      assertThat(accepts).containsExactly("text/plain");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSecondRunStoresNothingNewAndAChangedDefinitionStoresOnlyItself() {
    Project web = aProject(sandbox.organization("pipelines-again").project("Web"));
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataStore store = new MetadataStore(blobs);
    MetadataSnapshot first = backup(store, web, "20260301T010000Z-00000001");
    sandbox.clearRequests();

    MetadataSnapshot second = backup(store, web, "20260302T010000Z-00000002");

    assertThat(second.stats().objectsWritten()).isZero();
    assertThat(second.stats().indexObjectsWritten()).isZero();
    assertThat(second.entries()).isEqualTo(first.entries());
    assertThat(calls(web)).as("revisions are read once, ever").noneMatch(r -> r.path().contains("/revisions"));

    web.pipelines().releaseDefinitions().get(1).description("Only for emergencies");
    web.buildDefinition("nightly").yamlFilename("nightly-v2.yml");
    sandbox.clearRequests();
    MetadataSnapshot third = backup(store, web, "20260303T010000Z-00000003");

    List<String> changed = third.entries().entrySet().stream().flatMap(kind -> kind.getValue().entrySet().stream()
        .filter(e -> !e.getValue().equals(second.entries().get(kind.getKey()).get(e.getKey())))
        .map(e -> kind.getKey() + " " + e.getKey())).toList();
    int revision = web.pipelines().releaseDefinitions().get(1).revision();
    assertThat(changed).containsExactlyInAnyOrder("releaseDefinition 2", "releaseDefinitionRevision 2/" + revision,
        "releaseDefinitionHistory 2", "buildDefinition 2", "pipeline 2");
    assertThat(third.stats().objectsWritten()).as("the new revision is the definition itself, stored once")
        .isEqualTo(4);
    assertThat(calls(web)).filteredOn(r -> r.path().contains("/revisions/")).extracting(RecordedRequest::path)
        .containsExactly("/pipelines-again/" + web.id() + "/_apis/release/definitions/2/revisions/"
            + revision);
  }

  @Test
  void throttledPipelineReadsAreRetriedAndChangeNothing() {
    Project web = aProject(sandbox.organization("pipelines-throttled").project("Web"));
    MetadataSnapshot calm = backup(new MetadataStore(TestBlobs.inMemory()), web, "20260301T010000Z-00000001");
    sandbox.faults().onPaths(path -> path.endsWith("/release/definitions"))
        .throttleNext(2, Duration.ofSeconds(5)).failNext(1, 503);
    time.forgetSleeps();
    sandbox.clearRequests();

    MetadataSnapshot stormy = backup(new MetadataStore(TestBlobs.inMemory()), web, "20260301T010000Z-00000001");

    assertThat(stormy.entries()).isEqualTo(calm.entries());
    assertThat(stormy.notBackedUp()).isEqualTo(calm.notBackedUp());
    assertThat(calls(web)).filteredOn(r -> r.path().endsWith("/release/definitions"))
        .extracting(RecordedRequest::status).containsExactly(429, 429, 503, 200);
    assertThat(calls(web)).extracting(RecordedRequest::status).filteredOn(s -> s != 200).containsExactly(429, 429, 503);
    assertThat(time.sleeps()).contains(Duration.ofSeconds(5));
  }

  public static void assertNoSecretStored(MetadataStore store, MetadataSnapshot snapshot) {
    Stream.concat(snapshot.entries().values().stream().flatMap(m -> m.values().stream()),
        snapshot.index().values().stream().flatMap(List::stream))
        .forEach(hash -> assertThat(new String(store.object("org1", hash), StandardCharsets.ISO_8859_1))
            .doesNotContain(SECRETS));
  }
}
