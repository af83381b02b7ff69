package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restores test plans once work items are restored: each plan on the restored area and iteration,
 * its static suites in the same tree, and each suite's test cases as the restored work items. A
 * plan whose name the target holds is skipped or made beside it under another name
 * ({@link RestoreRun#onConflict}). Query- and requirement-based suites, and
 * which configuration and tester each test point had, are noted, not made.
 */
final class TestPlanRestore {

  /** Ledger kind of a test case added to a suite (by plan, suite and work item). */
  static final String TEST_CASE = "testCase";

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
      RestoreRun run) {
    if (snapshot.entries(MetadataKind.TEST_PLAN).isEmpty()) {
      return;
    }
    Set<String> notes = run.notes;
    String base = encode(target.id()) + "/_apis/testplan/Plans";
    Set<String> existing = existingNames(target);
    List<String> planIds = snapshot.entries(MetadataKind.TEST_PLAN).keySet().stream()
        .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
    String kind = MetadataKind.TEST_PLAN.key();
    for (String planId : planIds) {
      JsonNode plan = AzureDevOpsRestore.read(snapshot, MetadataKind.TEST_PLAN, planId);
      String name = plan.path("name").asText();
      String sourceRoot = plan.path("rootSuite").path("id").asText();
      Optional<String> made = run.made(kind, planId);
      if (made.isPresent()) {
        // recorded as <plan id>/<root suite id>
        String[] ids = made.get().split("/");
        suites(snapshot, planId, sourceRoot, base + "/" + ids[0], ids[1], workItemIds, run);
        continue;
      }
      String targetName = name;
      if (existing.contains(name)) {
        Optional<String> other = run.onConflict("test plan " + name, name, existing::contains);
        if (other.isEmpty()) {
          continue;
        }
        targetName = other.get();
      }
      ObjectNode body = AdoJson.JSON.createObjectNode();
      body.put("name", targetName);
      body.put("areaPath", paths.area(plan.path("areaPath").asText(snapshot.snapshot().projectName()), notes));
      body.put("iteration", paths.iteration(plan.path("iteration").asText(snapshot.snapshot().projectName()), notes));
      for (String field : List.of("description", "startDate", "endDate")) {
        if (plan.hasNonNull(field)) {
          body.set(field, plan.path(field));
        }
      }
      try {
        JsonNode created = client.exchange().post(organization, credential, base, body,
            ApiVersions::testPlanVersion).body();
        String targetPlan = created.path("id").asText();
        String targetRoot = created.path("rootSuite").path("id").asText();
        run.record(kind, planId, targetPlan + "/" + targetRoot);
        suites(snapshot, planId, sourceRoot, base + "/" + targetPlan, targetRoot, workItemIds, run);
      } catch (AzureDevOpsRequestException e) {
        notes.add("test plan " + name + " could not be restored whole: " + e.getMessage());
      }
    }
    notes.add("test points were restored with the target's default configuration and no tester: the snapshot "
        + "lists each suite's configurations and testers");
  }

  /** Makes the suites below the root, parents first, and puts each suite's test cases in it. */
  private void suites(SnapshotReader snapshot, String sourcePlanId, String sourceRoot, String planPath,
      String targetRoot, Map<String, String> workItemIds, RestoreRun run) {
    Set<String> notes = run.notes;
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
          String key = sourcePlanId + "/" + id;
          Optional<String> made = run.made(MetadataKind.TEST_SUITE.key(), key);
          if (made.isEmpty()) {
            ObjectNode body = AdoJson.JSON.createObjectNode();
            body.put("suiteType", "staticTestSuite");
            body.put("name", suite.path("name").asText());
            body.putObject("parentSuite").put("id", Integer.parseInt(suiteIds.get(parent)));
            made = Optional.of(client.exchange().post(organization, credential, planPath + "/suites", body,
                ApiVersions::testPlanVersion).body().path("id").asText());
            run.record(MetadataKind.TEST_SUITE.key(), key, made.get());
          }
          suiteIds.put(id, made.get());
        }
        testCases(suite, sourcePlanId, planPath + "/Suites/" + suiteIds.get(id) + "/TestCase", workItemIds, run);
      }
    }
  }

  /** Adds the suite's test cases an earlier run did not add, in one call. */
  private void testCases(JsonNode suite, String sourcePlanId, String path, Map<String, String> workItemIds,
      RestoreRun run) {
    ArrayNode body = AdoJson.JSON.createArrayNode();
    Map<String, String> adding = new LinkedHashMap<>();
    for (JsonNode testCase : suite.path("testCases")) {
      String source = testCase.path("workItem").path("id").asText();
      String key = sourcePlanId + "/" + suite.path("id").asText() + "/" + source;
      String restored = workItemIds.get(source);
      if (restored == null) {
        run.notes.add("test case " + source + " of suite " + suite.path("name").asText() + " was not restored: its "
            + "work item is not in the snapshot");
      } else if (run.made(TEST_CASE, key).isEmpty()) {
        body.addObject().putObject("workItem").put("id", Integer.parseInt(restored));
        adding.put(key, restored);
      }
    }
    if (!body.isEmpty()) {
      client.exchange().post(organization, credential, path, body, ApiVersions::testCaseVersion);
      adding.forEach((key, restored) -> run.record(TEST_CASE, key, restored));
    }
  }

  /** The target's test plan names. */
  Set<String> existingNames(ProjectRef target) {
    Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    Calls.sequential(client.exchange(), organization, credential).pages(
        encode(target.id()) + "/_apis/testplan/Plans?includePlanDetails=false", ApiVersions::testPlanVersion,
        page -> page.forEach(p -> existing.add(p.path("name").asText())));
    return existing;
  }
}
