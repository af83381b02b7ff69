package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A test plan: a tree of static suites holding test cases (work items). */
public final class TestPlan {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Boards boards;
  final int id;
  final String name;
  private final AtomicInteger lastSuite;
  final List<Suite> suites = new CopyOnWriteArrayList<>();
  private volatile String areaPath;
  private volatile String iteration;

  TestPlan(Boards boards, int id, String name) {
    this.boards = boards;
    this.id = id;
    this.name = name;
    this.lastSuite = new AtomicInteger(id);
    this.areaPath = boards.project().name();
    this.iteration = boards.project().name() + "\\Sprint 1";
    suites.add(new Suite(null, name));
  }

  /** The area path of the plan. */
  public TestPlan area(String path) {
    areaPath = path;
    return this;
  }

  /** The iteration path of the plan. */
  public TestPlan iteration(String path) {
    iteration = path;
    return this;
  }

  /** The root suite. */
  public Suite root() {
    return suites.get(0);
  }

  ObjectNode json() {
    Organization organization = boards.project().organization();
    ObjectNode plan = JSON.createObjectNode();
    plan.put("id", id);
    plan.put("name", name);
    plan.put("areaPath", areaPath);
    plan.put("iteration", iteration);
    plan.set("owner", Identities.ref(organization, "Kim Lead"));
    plan.put("startDate", "2024-01-01T00:00:00Z");
    plan.put("endDate", "2024-01-12T00:00:00Z");
    plan.put("state", "Active");
    plan.put("revision", 1);
    plan.putObject("rootSuite").put("id", root().id).put("name", name);
    plan.put("updatedDate", Boards.CREATED.toString());
    plan.set("updatedBy", Identities.ref(organization, "Kim Lead"));
    plan.putObject("project").put("id", boards.project().id().toString()).put("name", boards.project().name());
    return plan;
  }

  /** A static test suite. */
  public final class Suite {
    final int id;
    final Suite parent;
    final String name;
    final List<Integer> testCases = new CopyOnWriteArrayList<>();

    Suite(Suite parent, String name) {
      this.id = lastSuite.incrementAndGet();
      this.parent = parent;
      this.name = name;
    }

    /** A child suite. */
    public Suite suite(String childName) {
      Suite child = new Suite(this, childName);
      suites.add(child);
      return child;
    }

    /** Adds work item {@code workItemId} as a test case. */
    public Suite testCase(int workItemId) {
      testCases.add(workItemId);
      return this;
    }

    ObjectNode json() {
      ObjectNode suite = JSON.createObjectNode();
      suite.put("id", id);
      suite.put("name", name);
      suite.put("suiteType", "staticTestSuite");
      suite.put("revision", 1);
      suite.putObject("plan").put("id", TestPlan.this.id).put("name", TestPlan.this.name);
      if (parent != null) {
        suite.putObject("parentSuite").put("id", parent.id).put("name", parent.name);
      }
      suite.put("hasChildren", suites.stream().anyMatch(s -> s.parent == this));
      suite.put("inheritDefaultConfigurations", true);
      suite.put("lastUpdatedDate", Boards.CREATED.toString());
      return suite;
    }

    ObjectNode testCase(int workItemId, int order) {
      ObjectNode entry = JSON.createObjectNode();
      entry.putObject("testPlan").put("id", TestPlan.this.id).put("name", TestPlan.this.name);
      entry.putObject("testSuite").put("id", id).put("name", name);
      ObjectNode workItem = entry.putObject("workItem");
      workItem.put("id", workItemId);
      workItem.put("name", boards.project().workItems().find(workItemId)
          .map(w -> w.field("System.Title").asText()).orElse("Test case " + workItemId));
      entry.putArray("pointAssignments").addObject().put("id", workItemId * 10 + 1)
          .put("configurationName", "Windows 10").put("configurationId", 1)
          .set("tester", Identities.ref(boards.project().organization(), "Avery Tester"));
      entry.put("order", order);
      return entry;
    }
  }
}
