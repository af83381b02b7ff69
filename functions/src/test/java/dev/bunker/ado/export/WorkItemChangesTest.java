package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.ado.client.AdoJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The watermark of a reporting revisions batch, in each shape the captured answers have (wit/7.1/httpExamples/workItemRevisions/). */
class WorkItemChangesTest {

  private static com.fasterxml.jackson.databind.JsonNode batch(String json) {
    return AdoJson.json(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void takesTheWatermarkFromNextLinkWhenTheAnswerHasNoTokenField() {
    assertThat(WorkItemChanges.watermark(batch("{\"values\":[],\"nextLink\":\"https://dev.azure.com/fabrikam/_apis/wit/"
        + "reporting/workItemRevisions?continuationToken=3;2;1&api-version=2.0\",\"isLastBatch\":true}")))
        .contains("3;2;1");
    assertThat(WorkItemChanges.watermark(batch("{\"values\":[],\"nextLink\":\"https://dev.azure.com/fabrikam/_apis/wit/"
        + "reporting/workItemRevisions?includeIdentityRef=true&continuationToken=842%3B5%3B3&api-version=2.0\"}")))
        .as("anywhere in the query, decoded").contains("842;5;3");
  }

  @Test
  void prefersTheTokenFieldAndHasNoneWithoutEither() {
    assertThat(WorkItemChanges.watermark(batch("{\"values\":[],\"nextLink\":\"https://dev.azure.com/fabrikam/_apis/wit/"
        + "reporting/workItemRevisions?continuationToken=813;350;1&includeIdentityRef=true&api-version=2.0\","
        + "\"continuationToken\":\"813;350;1\",\"isLastBatch\":true}"))).contains("813;350;1");
    assertThat(WorkItemChanges.watermark(batch("{\"values\":[],\"isLastBatch\":true}"))).isEmpty();
  }
}
