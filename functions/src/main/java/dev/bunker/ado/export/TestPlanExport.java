package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Test plans, their suites and each suite's test cases, all paged by continuation token. Test
 * cases are work items (backed up with the others); a suite records which ones it holds, in what
 * order, with their configurations and testers.
 */
public final class TestPlanExport {

  private final Calls calls;

  TestPlanExport(Calls calls) {
    this.calls = calls;
  }

  void export(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/testplan/Plans";
    List<JsonNode> plans = new ArrayList<>();
    calls.pages(base + "?includePlanDetails=true", ApiVersions::testPlanVersion, page -> page.forEach(plans::add));
    calls.forEach(plans, plan -> {
      String planId = plan.path("id").asText();
      List<JsonNode> suites = new ArrayList<>();
      calls.pages(base + "/" + planId + "/Suites?asTreeView=false", ApiVersions::testPlanVersion,
          page -> page.forEach(suites::add));
      for (JsonNode suite : suites) {
        String suiteId = suite.path("id").asText();
        ObjectNode doc = suite.deepCopy();
        ArrayNode testCases = doc.putArray("testCases");
        // testPlan/5.0 Get Test Case List has no returnIdentityRef
        calls.pages(base + "/" + planId + "/Suites/" + suiteId + "/TestCase"
            + (calls.apiVersion().equals("5.0") ? "" : "?returnIdentityRef=true"),
            ApiVersions::testCaseVersion, page -> page.forEach(testCases::add));
        sink.put(MetadataKind.TEST_SUITE, planId + "/" + suiteId, document(doc));
      }
      // Last: a plan in a snapshot always has its suites.
      sink.put(MetadataKind.TEST_PLAN, planId, document(plan));
    });
  }
}
