package dev.bunker.sandbox;

import static dev.bunker.testing.UrlEncoding.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reporting work item revisions API: batches, watermarks in nextLink, deletions, the revisions' shape. */
class ReportingApiTest extends SandboxApiTest {

  /** The {@code continuationToken} inside a batch's {@code nextLink}. */
  private static String tokenOf(JsonNode batch) {
    for (String parameter : URI.create(batch.path("nextLink").asText()).getRawQuery().split("&")) {
      if (parameter.startsWith("continuationToken=")) {
        return URLDecoder.decode(parameter.substring("continuationToken=".length()), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no continuationToken in " + batch.path("nextLink"));
  }

  @Test
  void listsEveryRevisionInBatchesOfMaxPageSizeWithTheWatermarkOnlyInNextLink() throws Exception {
    Project web = sandbox.organization("reporting").project("Web").workItems(30);
    String api = web.organization().url() + "/Web/_apis/wit/reporting/workitemrevisions?api-version=7.1"
        + "&$maxPageSize=20&includeDeleted=true";

    List<String> revisions = new ArrayList<>();
    JsonNode batch = get(api);
    int batches = 1;
    while (true) {
      assertThat(batch.has("continuationToken")).as("the captured answers' shape").isFalse();
      assertThat(batch.path("nextLink").asText()).contains("/_apis/wit/reporting/workitemrevisions?continuationToken=")
          .contains("&includeDeleted=true").endsWith("&api-version=7.1");
      batch.path("values").forEach(v -> revisions.add(v.path("id").asInt() + "." + v.path("rev").asInt()));
      if (batch.path("isLastBatch").asBoolean()) {
        break;
      }
      assertThat(batch.path("values")).hasSize(20);
      batch = get(api + "&continuationToken=" + encode(tokenOf(batch)));
      batches++;
    }
    // item n has 1 + n % 3 revisions: 30 items, 60 revisions, 3 batches
    assertThat(revisions).hasSize(60).startsWith("1.1", "1.2", "2.1", "2.2", "2.3", "3.1");
    assertThat(batches).isEqualTo(3);
    String watermark = tokenOf(batch);
    assertThat(watermark).matches("\\d+;\\d+;\\d+");
    assertThat(get(api + "&continuationToken=" + encode(watermark)).path("values")).as("nothing changed").isEmpty();
    assertThat(get(api.replace("$maxPageSize", "maxPageSize")).path("values"))
        .as("maxPageSize is not a parameter of this API: the default page").hasSize(60);

    web.workItems().get(5).update("System.Title", "Renamed");
    web.workItems().delete(7);
    web.workItems().create("Bug", "New one");
    JsonNode changes = get(api + "&continuationToken=" + encode(watermark));
    assertThat(changes.path("values")).extracting(v -> v.path("id").asInt() + "." + v.path("rev").asInt()
        + (v.path("fields").path("System.IsDeleted").asBoolean() ? " deleted" : ""))
        .containsExactly("5.4", "7.3 deleted", "31.1");
    assertThat(changes.path("isLastBatch").asBoolean()).isTrue();
    assertThat(changes.path("values").get(0).path("fields").path("System.Title").asText()).isEqualTo("Renamed");
    assertThat(get(api.replace("&includeDeleted=true", "") + "&continuationToken=" + encode(watermark)).path("values"))
        .as("deletions only when asked for").extracting(v -> v.path("id").asInt()).containsExactly(5, 31);

    String now = encode(Instant.now().minusSeconds(60).toString());
    assertThat(get(api + "&startDateTime=" + now + "&fields=System.Id,System.Rev").path("values"))
        .as("from a time: only what was made since").hasSize(3)
        .allMatch(v -> v.path("fields").size() == 2);
  }

  @Test
  void answersTheTokenInTheBodyTooWhereTheOrganizationDoes() throws Exception {
    Project web = sandbox.organization("reporting-token").reportingTokenInBody(true).project("Web").workItems(3);
    JsonNode batch = get(web.organization().url() + "/Web/_apis/wit/reporting/workitemrevisions?api-version=7.1");
    assertThat(batch.path("continuationToken").asText()).isEqualTo(tokenOf(batch));
  }

  @Test
  void revisionsCarryNoRelationsAndIdentitiesAsStringsUnlessAskedForReferences() throws Exception {
    Project web = sandbox.organization("reporting-shape").project("Web").workItems(40);
    web.workItems().get(12).link("System.LinkTypes.Related", 3);
    String api = web.organization().url() + "/Web/_apis/wit/reporting/workitemrevisions?api-version=7.1"
        + "&$maxPageSize=1000&includeRelations=true";

    List<JsonNode> plain = new ArrayList<>();
    get(api).path("values").forEach(plain::add);
    assertThat(plain).as("no relations, whatever is asked").allMatch(v -> !v.has("relations") && !v.has("url"));
    JsonNode first = plain.get(0).path("fields");
    assertThat(first.path("System.CreatedBy").asText()).isEqualTo("Avery Tester <avery.tester@sandbox.example>");
    assertThat(first.has("System.Description")).as("long text only with $expand=fields").isFalse();
    assertThat(plain).filteredOn(v -> v.path("id").asInt() == 12).last()
        .extracting(v -> v.path("fields").path("System.RelatedLinkCount").asInt()).isEqualTo(1);
    assertThat(plain).filteredOn(v -> v.path("id").asInt() == 7).allMatch(
        v -> v.path("fields").path("System.RelatedLinkCount").asInt() == 1,
        "a Task links to its parent from its first revision");
    assertThat(plain).filteredOn(v -> v.path("id").asInt() == 40)
        .allMatch(v -> v.path("fields").path("System.AttachedFileCount").asInt() == 1, "every 40th has an attachment");

    JsonNode expanded = get(api + "&$expand=fields&includeIdentityRef=true").path("values").get(0);
    assertThat(expanded.path("fields").path("System.CreatedBy").path("uniqueName").asText())
        .isEqualTo("avery.tester@sandbox.example");
    assertThat(expanded.path("fields").has("System.Description")).isTrue();
    String project = web.organization().url() + "/" + web.id() + "/_apis/wit/";
    JsonNode perItem = get(project + "workItems/1/revisions?$expand=all&api-version=7.1").path("value").get(0);
    assertThat(expanded.path("fields")).as("the fields the work item's revisions API has")
        .isEqualTo(perItem.path("fields"));
  }

  @Test
  void refusesTokensItDidNotGiveAndTokenWithStartDate() throws Exception {
    Project web = sandbox.organization("reporting-bad").project("Web").workItems(3);
    String api = web.organization().url() + "/Web/_apis/wit/reporting/workitemrevisions?api-version=7.1";
    assertThat(response(api + "&continuationToken=nonsense").statusCode()).isEqualTo(400);
    assertThat(response(api + "&continuationToken=0;0;0&startDateTime=2026-01-01T00:00:00Z").statusCode())
        .isEqualTo(400);
  }
}
