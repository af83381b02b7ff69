package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The sandbox's pull request, work item and pipeline APIs over HTTP, with Azure DevOps' limits. */
class MetadataApiTest extends SandboxApiTest {

  @Test
  void pullRequestListsShowActiveOnesUnlessAskedForAllAndCutDescriptions() throws Exception {
    Project web = sandbox.organization("prs").project("Web");
    HostedRepository site = web.repository("site");
    site.pullRequest("Active one").description("x".repeat(1000)).reviewer("Sam Developer", 10).label("ui")
        .thread("Looks good?", "Yes").linkedWorkItem(3);
    site.pullRequest("Done").status("completed");
    site.pullRequest("Dropped").status("abandoned");
    String base = web.organization().url() + "/Web/_apis/git/repositories/site/pullrequests";

    assertThat(get(base + "?api-version=7.1").path("value")).extracting(v -> v.path("title").asText())
        .containsExactly("Active one");
    JsonNode all = get(base + "?searchCriteria.status=all&api-version=7.1");
    assertThat(all.path("value")).extracting(v -> v.path("title").asText())
        .containsExactly("Dropped", "Done", "Active one");
    assertThat(all.path("value").get(2).path("description").asText()).hasSize(400);
    assertThat(get(base + "?searchCriteria.status=all&$top=2&$skip=2&api-version=7.1").path("value"))
        .extracting(v -> v.path("title").asText()).containsExactly("Active one");

    int id = all.path("value").get(2).path("pullRequestId").asInt();
    JsonNode full = get(base + "/" + id + "?includeWorkItemRefs=true&api-version=7.1");
    assertThat(full.path("description").asText()).hasSize(1000);
    assertThat(full.path("reviewers").get(0).path("vote").asInt()).isEqualTo(10);
    assertThat(full.path("labels").get(0).path("name").asText()).isEqualTo("ui");
    assertThat(full.path("workItemRefs").get(0).path("id").asText()).isEqualTo("3");
    JsonNode threads = get(base + "/" + id + "/threads?api-version=7.1");
    assertThat(threads.path("value").get(0).path("comments")).extracting(c -> c.path("content").asText())
        .containsExactly("Looks good?", "Yes");
  }

  @Test
  void wiqlRefusesMoreThanTheLimitButPagesByIdRanges() throws Exception {
    long started = System.nanoTime();
    Project big = sandbox.organization("wiql").project("Big").workItems(25_000);
    String wiql = big.organization().url() + "/Big/_apis/wit/wiql?api-version=7.1";

    HttpResponse<String> tooMany = post(wiql, "{\"query\":\"SELECT [System.Id] FROM WorkItems\"}");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("VS402337", "20000");

    JsonNode range = JSON.readTree(post(wiql, "{\"query\":\"SELECT [System.Id] FROM WorkItems WHERE "
        + "[System.Id] > 19990 AND [System.Id] <= 20010 ORDER BY [System.Id]\"}").body());
    assertThat(range.path("workItems")).extracting(w -> w.path("id").asInt())
        .containsExactlyElementsOf(IntStream.rangeClosed(19991, 20010).boxed().toList());
    JsonNode topped = JSON.readTree(post(big.organization().url()
        + "/Big/_apis/wit/wiql?$top=20000&api-version=7.1", "{\"query\":\"SELECT [System.Id] FROM WorkItems\"}")
        .body());
    assertThat(topped.path("workItems")).hasSize(20_000);
    assertThat(System.nanoTime() - started).as("a 25,000 item project is quick to set up and query")
        .isLessThan(10_000_000_000L);
  }

  @Test
  void workItemsComeInBatchesOfAtMost200WithRevisionsCommentsAndAttachments() throws Exception {
    Project board = sandbox.organization("wit").project("Board").workItems(100);
    String project = board.organization().url() + "/Board/_apis/wit/";
    String ids201 =
        IntStream.rangeClosed(1, 201).mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElseThrow();
    assertThat(post(project + "workitemsbatch?api-version=7.1", "{\"ids\":[" + ids201 + "]}").statusCode())
        .isEqualTo(400);

    JsonNode batch = JSON.readTree(post(project + "workitemsbatch?api-version=7.1",
        "{\"ids\":[40,41,999],\"$expand\":\"all\",\"errorPolicy\":\"omit\"}").body());
    assertThat(batch.path("value")).hasSize(3);
    assertThat(batch.path("value").get(2).isNull()).isTrue();
    JsonNode forty = batch.path("value").get(0);
    assertThat(forty.path("rev").asInt()).isEqualTo(2);
    String attachmentUrl = forty.path("relations").findValues("url").stream().map(JsonNode::asText)
        .filter(u -> u.contains("/attachments/")).findFirst().orElseThrow();
    HttpResponse<byte[]> attachment = http.send(HttpRequest.newBuilder(URI.create(attachmentUrl))
        .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(attachment.statusCode()).isEqualTo(200);
    assertThat(attachment.body()).hasSize(2048 + 1024);

    assertThat(get(project + "workItems/41/revisions?api-version=7.1").path("value"))
        .extracting(r -> r.path("fields").path("System.State").asText()).containsExactly("New", "Active", "Closed");
    board.workItems().get(42).comment("Kim", "third").comment("Kim", "fourth");
    assertThat(response(project + "workItems/42/comments?api-version=7.1").statusCode())
        .as("comments are a preview API").isEqualTo(400);
    JsonNode page = get(project + "workItems/42/comments?$top=3&api-version=7.1-preview.4");
    assertThat(page.path("totalCount").asInt()).isEqualTo(4);
    assertThat(page.path("comments")).hasSize(3);
    JsonNode rest = get(project + "workItems/42/comments?$top=3&continuationToken="
        + page.path("continuationToken").asText() + "&api-version=7.1-preview.4");
    assertThat(rest.path("comments")).extracting(c -> c.path("text").asText()).containsExactly("fourth");
    assertThat(rest.has("continuationToken")).isFalse();
  }

  @Test
  void pipelinesAnswerSecretValuesAsNull() throws Exception {
    Project ops = sandbox.organization("pipelines").project("Ops");
    ops.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "s3cr3t");
    ops.buildDefinition("nightly");
    ops.variableGroup("shared").variable("region", "westeurope").secret("password", "hunter2");
    String base = ops.organization().url() + "/Ops/_apis/";

    HttpResponse<String> first = response(base + "build/definitions?$top=1&api-version=7.1");
    assertThat(first.headers().firstValue("x-ms-continuationtoken")).contains("1");
    JsonNode definition = get(base + "build/definitions/1?api-version=7.1");
    assertThat(definition.path("process").path("yamlFilename").asText()).isEqualTo("azure-pipelines.yml");
    assertThat(definition.path("variables").path("signingKey").path("value").isNull()).isTrue();
    JsonNode groups = get(base + "distributedtask/variablegroups?api-version=7.1");
    assertThat(groups.path("value").get(0).path("variables").path("password").path("value").isNull()).isTrue();
    assertThat(first.body() + definition + groups).doesNotContain("s3cr3t", "hunter2");
  }

  @Test
  void workItemCreationTakesJsonPatchAndRefusesReadOnlyFieldsAndUnknownLinks() throws Exception {
    Project empty = sandbox.organization("create").project("Empty");
    String create = empty.organization().url() + "/Empty/_apis/wit/workitems/$Bug?api-version=7.1";
    String title = "[{\"op\":\"add\",\"path\":\"/fields/System.Title\",\"value\":\"Restored\"}";

    assertThat(post(create, title + "]").statusCode()).as("plain JSON is not a patch document").isEqualTo(415);
    assertThat(patch(create, "POST", title + ",{\"op\":\"add\",\"path\":\"/fields/System.Rev\",\"value\":3}]")
        .body()).contains("TF401326", "System.Rev");
    assertThat(patch(create, "POST", title + ",{\"op\":\"add\",\"path\":\"/relations/-\",\"value\":"
        + "{\"rel\":\"System.LinkTypes.Related\",\"url\":\"" + empty.organization().url()
        + "/_apis/wit/workItems/999\"}}]").statusCode()).isEqualTo(400);
    assertThat(empty.workItems().count()).as("refused requests change nothing").isZero();

    HttpResponse<String> created = patch(create, "POST", title + "]");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(created.body()).path("fields").path("System.WorkItemType").asText()).isEqualTo("Bug");
    assertThat(empty.workItems().count()).isEqualTo(1);
  }

  @Test
  void server2019ListsHistoryRevisionsAsCommentsFromARevisionAndAddsNone() throws Exception {
    Organization server2019 = sandbox.collection("tfs2019/DefaultCollection").maxApiVersion("5.0");
    Project board = server2019.project("Board");
    WorkItem item = board.workItems().create("Bug", "Crash on save").comment("Kim Lead", "first")
        .update("System.State", "Active").comment("Sam Developer", "second").comment("Kim Lead", "third");
    String comments = server2019.url() + "/Board/_apis/wit/workItems/" + item.id() + "/comments";

    JsonNode page = get(comments + "?fromRevision=1&$top=2&order=asc&api-version=5.0-preview.2");
    assertThat(page.path("totalCount").asInt()).isEqualTo(3);
    assertThat(page.path("count").asInt()).isEqualTo(2);
    assertThat(page.has("continuationToken")).as("wit/5.0 WorkItemComments has no token").isFalse();
    assertThat(page.path("comments")).extracting(c -> c.path("revision").asInt()).containsExactly(2, 4);
    assertThat(page.path("comments").get(0).path("revisedBy").path("displayName").asText()).isEqualTo("Kim Lead");
    assertThat(page.path("comments").get(0).has("revisedDate")).isTrue();
    JsonNode rest = get(comments + "?fromRevision=5&$top=2&continuationToken=2&api-version=5.0-preview.2");
    assertThat(rest.path("fromRevisionCount").asInt()).isEqualTo(1);
    assertThat(rest.path("comments")).extracting(c -> c.path("text").asText()).containsExactly("third");

    HttpResponse<String> added = post(comments + "?api-version=5.0-preview.2", "{\"text\":\"new\"}");
    assertThat(added.statusCode()).as("wit/5.0 has no Comments_Add").isEqualTo(404);
    HttpResponse<String> history = patch(server2019.url() + "/Board/_apis/wit/workitems/" + item.id()
        + "?api-version=5.0", "PATCH", "[{\"op\":\"add\",\"path\":\"/fields/System.History\",\"value\":\"fourth\"}]");
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(get(comments + "?fromRevision=6&api-version=5.0-preview.2").path("comments"))
        .as("a System.History update is a comment").extracting(c -> c.path("text").asText()).containsExactly("fourth");
  }

  @Test
  void attachmentsOver130MegabytesMustBeUploadedInChunks() throws Exception {
    Project media = sandbox.organization("attachments").project("Media");
    String attachments = media.organization().url() + "/Media/_apis/wit/attachments";
    long tooLarge = Creation.SIMPLE_UPLOAD_LIMIT + 1;
    HttpResponse<String> simple = http.send(HttpRequest.newBuilder(URI.create(attachments
        + "?fileName=big.bin&api-version=7.1")).header("Authorization", auth)
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.InputStream() {
              private long left = tooLarge;

              @Override
              public int read() {
                return left-- > 0 ? 'x' : -1;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) {
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
                left -= n;
                return n == 0 ? -1 : n;
              }
            }), tooLarge))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(simple.statusCode()).isEqualTo(400);
    assertThat(simple.body()).contains("TF237082");

    JsonNode started =
        JSON.readTree(send("POST", attachments + "?fileName=notes.txt&uploadType=Chunked&api-version=7.1",
            "application/octet-stream", "").body());
    String chunkUrl = attachments + "/" + started.path("id").asText() + "?api-version=7.1";
    assertThat(chunk(chunkUrl, null, "hello ").statusCode()).as("Content-Range is required").isEqualTo(400);
    assertThat(chunk(chunkUrl, "bytes 0-9/11", "hello ").statusCode()).as("the range names the body").isEqualTo(400);
    assertThat(chunk(chunkUrl, "bytes 0-5/11", "hello ").statusCode()).isEqualTo(201);
    assertThat(chunk(chunkUrl, "bytes 6-10/11", "world").statusCode()).isEqualTo(201);
    HttpResponse<String> download = response(started.path("url").asText());
    assertThat(download.body()).isEqualTo("hello world");
  }

  private static HttpResponse<String> chunk(String url, String contentRange, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString(body));
    if (contentRange != null) {
      request.header("Content-Range", contentRange);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> patch(String url, String method, String body) throws Exception {
    return send(method, url, "application/json-patch+json", body);
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return send("POST", url, "application/json", body);
  }
}
