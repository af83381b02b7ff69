package dev.bunker.ado;

import static dev.bunker.ado.AzureDevOpsMetadata.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restores test plans once work items are restored: each plan on the restored area and iteration,
 * its static suites in the same tree, and each suite's test cases as the restored work items. A
 * plan whose name exists in the target is left alone. Query- and requirement-based suites, and
 * which configuration and tester each test point had, are noted, not made.
 */
final class TestPlanRestore {

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  TestPlanRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  /** @param workItemIds source work item id to the restored one's */
  void plans(SnapshotReader snapshot, ProjectRef target, BoardsRestore.PathMap paths, Map<String, String> workItemIds,
      Map<String, Integer> created, Set<String> notes) {
    if (snapshot.entries(MetadataKind.TEST_PLAN).isEmpty()) {
      return;
    }
    String base = encode(target.id()) + "/_apis/testplan/Plans";
    Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    AzureDevOpsMetadata.Calls.sequential(client.exchange(), organization, credential).pages(
        base + "?includePlanDetails=false", TestPlanExport::testPlanVersion,
        page -> page.forEach(p -> existing.add(p.path("name").asText())));
    List<String> planIds = snapshot.entries(MetadataKind.TEST_PLAN).keySet().stream()
        .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
    for (String planId : planIds) {
      JsonNode plan = AzureDevOpsRestore.read(snapshot, MetadataKind.TEST_PLAN, planId);
      String name = plan.path("name").asText();
      if (existing.contains(name)) {
        notes.add("test plan " + name + " already exists in the target project and was left as it is");
        continue;
      }
      ObjectNode body = AzureDevOpsMetadata.JSON.createObjectNode();
      body.put("name", name);
      body.put("areaPath", paths.area(plan.path("areaPath").asText(snapshot.snapshot().projectName()), notes));
      body.put("iteration", paths.iteration(plan.path("iteration").asText(snapshot.snapshot().projectName()), notes));
      for (String field : List.of("description", "startDate", "endDate")) {
        if (plan.hasNonNull(field)) {
          body.set(field, plan.path(field));
        }
      }
      try {
        JsonNode made = client.exchange().post(organization, credential, base, body, TestPlanExport::testPlanVersion)
            .body();
        created.merge(MetadataKind.TEST_PLAN.key(), 1, Integer::sum);
        suites(snapshot, planId, plan.path("rootSuite").path("id").asText(), base + "/" + made.path("id").asText(),
            made.path("rootSuite").path("id").asText(), workItemIds, created, notes);
      } catch (AzureDevOpsRequestException e) {
        notes.add("test plan " + name + " could not be restored whole: " + e.getMessage());
      }
    }
    notes.add("test points were restored with the target's default configuration and no tester: the snapshot "
        + "lists each suite's configurations and testers");
  }

  /** Makes the suites below the root, parents first, and puts each suite's test cases in it. */
  private void suites(SnapshotReader snapshot, String sourcePlanId, String sourceRoot, String planPath,
      String targetRoot, Map<String, String> workItemIds, Map<String, Integer> created, Set<String> notes) {
    List<JsonNode> pending = new ArrayList<>();
    for (String id : snapshot.entries(MetadataKind.TEST_SUITE).keySet()) {
      if (id.startsWith(sourcePlanId + "/")) {
        pending.add(AzureDevOpsRestore.read(snapshot, MetadataKind.TEST_SUITE, id));
      }
    }
    Map<String, String> suiteIds = new HashMap<>();
    suiteIds.put(sourceRoot, targetRoot);
    boolean progress = true;
    while (progress) {
      progress = false;
      for (JsonNode suite : List.copyOf(pending)) {
        String id = suite.path("id").asText();
        String parent = suite.path("parentSuite").path("id").asText(null);
        if (!id.equals(sourceRoot) && !suiteIds.containsKey(parent)) {
          continue;
        }
        pending.remove(suite);
        progress = true;
        if (!id.equals(sourceRoot)) {
          if (!"staticTestSuite".equalsIgnoreCase(suite.path("suiteType").asText())) {
            notes.add("test suite " + suite.path("name").asText() + " (" + suite.path("suiteType").asText()
                + ") was not restored, nor what is below it: only static suites are");
            continue;
          }
          ObjectNode body = AzureDevOpsMetadata.JSON.createObjectNode();
          body.put("suiteType", "staticTestSuite");
          body.put("name", suite.path("name").asText());
          body.putObject("parentSuite").put("id", Integer.parseInt(suiteIds.get(parent)));
          JsonNode made = client.exchange().post(organization, credential, planPath + "/suites", body,
              TestPlanExport::testPlanVersion).body();
          suiteIds.put(id, made.path("id").asText());
          created.merge(MetadataKind.TEST_SUITE.key(), 1, Integer::sum);
        }
        testCases(suite, planPath + "/Suites/" + suiteIds.get(id) + "/TestCase", workItemIds, created, notes);
      }
    }
  }

  private void testCases(JsonNode suite, String path, Map<String, String> workItemIds, Map<String, Integer> created,
      Set<String> notes) {
    ArrayNode body = AzureDevOpsMetadata.JSON.createArrayNode();
    for (JsonNode testCase : suite.path("testCases")) {
      String source = testCase.path("workItem").path("id").asText();
      String restored = workItemIds.get(source);
      if (restored == null) {
        notes.add("test case " + source + " of suite " + suite.path("name").asText() + " was not restored: its work "
            + "item is not in the snapshot");
      } else {
        body.addObject().putObject("workItem").put("id", Integer.parseInt(restored));
      }
    }
    if (!body.isEmpty()) {
      client.exchange().post(organization, credential, path, body, TestPlanExport::testCaseVersion);
      created.merge("testCase", body.size(), Integer::sum);
    }
  }
}
