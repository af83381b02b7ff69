package dev.bunker.ado;

import static dev.bunker.ado.AzureDevOpsMetadata.document;
import static dev.bunker.ado.AzureDevOpsMetadata.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
final class TestPlanExport {

  /** The test plan API was a preview API before Azure DevOps Server 2022 (7.0). */
  static String testPlanVersion(String apiVersion) {
    return apiVersion.equals("5.0") || apiVersion.equals("6.0") ? apiVersion + "-preview.1" : apiVersion;
  }

  /** A suite's test cases were the second preview of their resource before 7.0 (testPlan/5.0, 6.0: -preview.2). */
  static String testCaseVersion(String apiVersion) {
    return apiVersion.equals("5.0") || apiVersion.equals("6.0") ? apiVersion + "-preview.2" : apiVersion;
  }

  private final AzureDevOpsMetadata.Calls calls;

  TestPlanExport(AzureDevOpsMetadata.Calls calls) {
    this.calls = calls;
  }

  void export(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/testplan/Plans";
    List<JsonNode> plans = new ArrayList<>();
    calls.pages(base + "?includePlanDetails=true", TestPlanExport::testPlanVersion, page -> page.forEach(plans::add));
    calls.forEach(plans, plan -> {
      String planId = plan.path("id").asText();
      List<JsonNode> suites = new ArrayList<>();
      calls.pages(base + "/" + planId + "/Suites?asTreeView=false", TestPlanExport::testPlanVersion,
          page -> page.forEach(suites::add));
      for (JsonNode suite : suites) {
        String suiteId = suite.path("id").asText();
        ObjectNode doc = suite.deepCopy();
        ArrayNode testCases = doc.putArray("testCases");
        // testPlan/5.0 Get Test Case List has no returnIdentityRef
        calls.pages(base + "/" + planId + "/Suites/" + suiteId + "/TestCase"
            + (calls.apiVersion().equals("5.0") ? "" : "?returnIdentityRef=true"),
            TestPlanExport::testCaseVersion, page -> page.forEach(testCases::add));
        sink.put(MetadataKind.TEST_SUITE, planId + "/" + suiteId, document(doc));
      }
      // Last: a plan in a snapshot always has its suites.
      sink.put(MetadataKind.TEST_PLAN, planId, document(plan));
    });
  }
}
