package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reporting work item revisions API: batches, continuation tokens as watermarks, deletions. */
class ReportingApiTest extends SandboxApiTest {

  @Test
  void listsEveryRevisionInBatchesAndAWatermarkThatYieldsOnlyLaterChanges() throws Exception {
    Project web = sandbox.organization("reporting").project("Web").workItems(30);
    String api = web.organization().url() + "/Web/_apis/wit/reporting/workitemrevisions?api-version=7.1"
        + "&maxPageSize=20&includeDeleted=true";

    List<String> revisions = new ArrayList<>();
    JsonNode batch = get(api);
    int batches = 1;
    while (true) {
      batch.path("values").forEach(v -> revisions.add(v.path("id").asInt() + "." + v.path("rev").asInt()));
      if (batch.path("isLastBatch").asBoolean()) {
        break;
      }
      assertThat(batch.path("values")).hasSize(20);
      batch = get(api + "&continuationToken=" + batch.path("continuationToken").asText());
      batches++;
    }
    // item n has 1 + n % 3 revisions: 30 items, 60 revisions, 3 batches
    assertThat(revisions).hasSize(60).startsWith("1.1", "1.2", "2.1", "2.2", "2.3", "3.1");
    assertThat(batches).isEqualTo(3);
    String watermark = batch.path("continuationToken").asText();
    assertThat(get(api + "&continuationToken=" + watermark).path("values")).as("nothing changed").isEmpty();

    web.workItems().get(5).update("System.Title", "Renamed");
    web.workItems().delete(7);
    web.workItems().create("Bug", "New one");
    JsonNode changes = get(api + "&continuationToken=" + watermark);
    assertThat(changes.path("values")).extracting(v -> v.path("id").asInt() + "." + v.path("rev").asInt()
        + (v.path("fields").path("System.IsDeleted").asBoolean() ? " deleted" : ""))
        .containsExactly("5.4", "7.3 deleted", "31.1");
    assertThat(changes.path("isLastBatch").asBoolean()).isTrue();
    assertThat(changes.path("values").get(0).path("fields").path("System.Title").asText()).isEqualTo("Renamed");
    assertThat(get(api.replace("&includeDeleted=true", "") + "&continuationToken=" + watermark).path("values"))
        .as("deletions only when asked for").extracting(v -> v.path("id").asInt()).containsExactly(5, 31);

    String now = URLEncoder.encode(Instant.now().minusSeconds(60).toString(), StandardCharsets.UTF_8);
    assertThat(get(api + "&startDateTime=" + now + "&fields=System.Id,System.Rev").path("values"))
        .as("from a time: only what was made since").hasSize(3)
        .allMatch(v -> v.path("fields").size() == 2);
  }

  @Test
  void refusesTokensItDidNotGiveAndTokenWithStartDate() throws Exception {
    Project web = sandbox.organization("reporting-bad").project("Web").workItems(3);
    String api = web.organization().url() + "/Web/_apis/wit/reporting/workitemrevisions?api-version=7.1";
    assertThat(response(api + "&continuationToken=nonsense").statusCode()).isEqualTo(400);
    assertThat(response(api + "&continuationToken=c0&startDateTime=2026-01-01T00:00:00Z").statusCode())
        .isEqualTo(400);
  }
}
