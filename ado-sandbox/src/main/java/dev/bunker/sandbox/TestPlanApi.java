package dev.bunker.sandbox;

import static dev.bunker.sandbox.BoardsApi.json;
import static dev.bunker.sandbox.BoardsApi.tokenPage;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Test plans, their suites and test cases ({@link BoardsApi}'s project routes; continuation
 * tokens), and creating a plan, a static suite or test cases. A preview API before 7.0.
 */
final class TestPlanApi {
  static final String PLANS = "testplan/plans(?:/(\\d+)/suites(?:/(\\d+)/testcase)?)?";

  void answer(BoardsCall call, Matcher m) throws IOException {
    if (BoardsApi.previewBefore7(call)) {
      return;
    }
    if (call.method().equals("POST")) {
      create(call, m);
    } else {
      list(call, m);
    }
  }

  private void list(BoardsCall call, Matcher m) throws IOException {
    Boards boards = call.boards();
    HttpServletResponse response = call.response();
    if (m.group(1) == null) {
      tokenPage(call, boards.plans().stream().<JsonNode>map(TestPlan::json).toList());
      return;
    }
    int planId = Integer.parseInt(m.group(1));
    Optional<TestPlan> plan = boards.plans().stream().filter(p -> p.id == planId).findFirst();
    if (plan.isEmpty()) {
      RestApi.error(response, 404, "The test plan with id " + planId + " does not exist.",
          "TestObjectNotFoundException");
      return;
    }
    if (m.group(2) == null) {
      tokenPage(call, plan.get().suites.stream().<JsonNode>map(TestPlan.Suite::json).toList());
      return;
    }
    int suiteId = Integer.parseInt(m.group(2));
    Optional<TestPlan.Suite> suite = plan.get().suites.stream().filter(s -> s.id == suiteId).findFirst();
    if (suite.isEmpty()) {
      RestApi.error(response, 404, "The test suite with id " + suiteId + " does not exist.",
          "TestObjectNotFoundException");
      return;
    }
    List<JsonNode> cases = new ArrayList<>();
    List<Integer> ids = suite.get().testCases;
    for (int i = 0; i < ids.size(); i++) {
      cases.add(suite.get().testCase(ids.get(i), i + 1));
    }
    tokenPage(call, cases);
  }

  /** A plan ({@code name}, {@code areaPath}, {@code iteration}), a static suite, or test cases (work items). */
  private void create(BoardsCall call, Matcher m) throws IOException {
    Boards boards = call.boards();
    HttpServletResponse response = call.response();
    String version = call.at();
    JsonNode body = json(call, m.group(2) != null);
    if (body == null) {
      return;
    }
    if (m.group(1) == null) {
      String name = body.path("name").asText("");
      String area = body.path("areaPath").asText(boards.project().name());
      String iteration = body.path("iteration").asText(boards.project().name());
      if (name.isBlank() || boards.areas.byPath(area) == null || boards.iterations.byPath(iteration) == null) {
        RestApi.error(response, 400, "A test plan needs a name, and an area path and iteration that exist ("
            + area + ", " + iteration + ").", "InvalidPropertyException");
        return;
      }
      RestApi.write(response, 200, boards.testPlan(name).area(area).iteration(iteration).json(), version);
      return;
    }
    int planId = Integer.parseInt(m.group(1));
    Optional<TestPlan> plan = boards.plans().stream().filter(p -> p.id == planId).findFirst();
    int parentId = m.group(2) == null ? body.path("parentSuite").path("id").asInt() : Integer.parseInt(m.group(2));
    Optional<TestPlan.Suite> parent = plan.flatMap(p -> p.suites.stream().filter(s -> s.id == parentId)
        .findFirst());
    if (parent.isEmpty()) {
      RestApi.error(response, 404, "The test plan " + planId + " or its suite does not exist.",
          "TestObjectNotFoundException");
      return;
    }
    if (m.group(2) == null) {
      String name = body.path("name").asText("");
      if (name.isBlank() || !"staticTestSuite".equalsIgnoreCase(body.path("suiteType").asText())) {
        RestApi.error(response, 400, "A suite needs a name; the sandbox makes static suites only.",
            "InvalidPropertyException");
        return;
      }
      RestApi.write(response, 200, parent.get().suite(name).json(), version);
      return;
    }
    List<Integer> ids = new ArrayList<>();
    for (JsonNode entry : body) {
      int id = entry.path("workItem").path("id").asInt();
      if (boards.project().workItems().find(id).isEmpty()) {
        RestApi.error(response, 400, "TF26006: Work item " + id + " does not exist or is not a test case.",
            "TestObjectNotFoundException");
        return;
      }
      ids.add(id);
    }
    List<JsonNode> added = new ArrayList<>();
    for (int id : ids) {
      parent.get().testCase(id);
      added.add(parent.get().testCase(id, parent.get().testCases.size()));
    }
    RestApi.write(response, 200, MetadataApi.list(added), version);
  }
}
