package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A team of a sandbox project: members, settings (working days, bugs on the backlog), the
 * iterations it works in, its area, one board per backlog level (Epics, Features, Stories) with
 * columns and swimlanes, and dashboards with widgets. A new team works in Sprints 1–3 of the
 * project's root area and has one dashboard, "Overview".
 */
public final class Team {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Boards boards;
  private final String name;
  private final UUID id;
  private final List<String> members = new CopyOnWriteArrayList<>();
  private final List<Boards.Node> iterations = new CopyOnWriteArrayList<>();
  private final List<Board> backlogBoards = new CopyOnWriteArrayList<>();
  private final List<Dashboard> dashboards = new CopyOnWriteArrayList<>();
  private volatile Boards.Node area;
  private volatile ArrayNode areaValues;
  private volatile String bugsBehavior = "asRequirements";
  private volatile ArrayNode workingDays = JSON.createArrayNode().add("monday").add("tuesday").add("wednesday")
      .add("thursday").add("friday");
  private volatile ObjectNode backlogVisibilities = JSON.createObjectNode().put("Microsoft.EpicCategory", false)
      .put("Microsoft.FeatureCategory", true).put("Microsoft.RequirementCategory", true);
  private volatile Boards.Node backlogIteration;
  private volatile Boards.Node defaultIteration;
  private volatile String defaultIterationMacro = "@currentIteration";
  private volatile boolean dashboardsForbidden;

  Team(Boards boards, String name) {
    this.boards = boards;
    this.name = name;
    this.id = UUID.nameUUIDFromBytes((boards.project().id() + ":team:" + name).getBytes(StandardCharsets.UTF_8));
    this.area = boards.areas;
    this.backlogIteration = boards.iterations;
    for (int sprint = 1; sprint <= 3; sprint++) {
      iterations.add(boards.iterations.child("Sprint " + sprint));
    }
    for (String level : List.of("Epics", "Features", "Stories")) {
      backlogBoards.add(new Board(this, level));
    }
    members.add("Kim Lead");
    dashboard("Overview").widget("Sprint burndown",
        "ms.vss-dashboards-web.Microsoft.VisualStudioOnline.Dashboards.BurndownWidget");
  }

  public String name() {
    return name;
  }

  public UUID id() {
    return id;
  }

  /**
   * The Graph subject descriptor of the team's group: {@code vssgp.} and the group's SID in
   * base64url, as in graph/7.1/httpExamples/Memberships/CreateMembershipVSTSGroup.json.
   */
  String subjectDescriptor() {
    String sid = "S-1-9-1551374245-" + Long.toUnsignedString(id.getMostSignificantBits()) + "-"
        + Long.toUnsignedString(id.getLeastSignificantBits());
    return "vssgp." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(sid.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a member. */
  public Team member(String displayName) {
    members.add(displayName);
    return this;
  }

  /** The team's area: work items under it (and its children) are the team's. */
  public Team area(Boards.Node node) {
    area = node;
    areaValues = null;
    return this;
  }

  /** Adds an iteration the team works in. */
  public Team iteration(Boards.Node node) {
    iterations.add(node);
    return this;
  }

  /** The iteration new work items get, fixed (no {@code @currentIteration} macro). */
  public synchronized Team defaultIteration(Boards.Node node) {
    defaultIteration = node;
    defaultIterationMacro = null;
    return this;
  }

  /** Where bugs appear: {@code asRequirements}, {@code asTasks} or {@code off}. */
  public Team bugsBehavior(String value) {
    bugsBehavior = value;
    return this;
  }

  /** The board of backlog level {@code level} (Epics, Features or Stories). */
  public Board board(String level) {
    return backlogBoards.stream().filter(b -> b.name.equalsIgnoreCase(level)).findFirst().orElseThrow();
  }

  /** Refuses the caller the team's dashboards (403), as a team admin can. */
  public Team forbidDashboards() {
    dashboardsForbidden = true;
    return this;
  }

  boolean dashboardsForbidden() {
    return dashboardsForbidden;
  }

  /** The dashboard named {@code dashboardName}, created on first use. */
  public synchronized Dashboard dashboard(String dashboardName) {
    return dashboards.stream().filter(d -> d.name.equalsIgnoreCase(dashboardName)).findFirst().orElseGet(() -> {
      Dashboard created = new Dashboard(this, dashboardName, dashboards.size() + 1);
      dashboards.add(created);
      return created;
    });
  }

  List<String> members() {
    return List.copyOf(members);
  }

  List<Board> boards() {
    return List.copyOf(backlogBoards);
  }

  List<Dashboard> dashboards() {
    return List.copyOf(dashboards);
  }

  String teamUrl() {
    return boards.project().organization().url() + "/" + boards.project().id() + "/" + id;
  }

  ObjectNode json() {
    ObjectNode team = JSON.createObjectNode();
    team.put("id", id.toString());
    team.put("name", name);
    team.put("url",
        boards.project().organization().url() + "/_apis/projects/" + boards.project().id() + "/teams/" + id);
    team.put("description", "The " + name + " team.");
    team.put("identityUrl", boards.project().organization().url() + "/_apis/Identities/" + id);
    team.put("projectName", boards.project().name());
    team.put("projectId", boards.project().id().toString());
    return team;
  }

  ObjectNode memberJson(String displayName) {
    ObjectNode member = JSON.createObjectNode();
    member.put("isTeamAdmin", displayName.equals("Kim Lead"));
    member.set("identity", Identities.ref(boards.project().organization(), displayName));
    return member;
  }

  synchronized ObjectNode settings() {
    ObjectNode settings = JSON.createObjectNode();
    settings.set("backlogIteration", settingsRef(backlogIteration));
    settings.put("bugsBehavior", bugsBehavior);
    settings.set("workingDays", workingDays.deepCopy());
    settings.set("backlogVisibilities", backlogVisibilities.deepCopy());
    Boards.Node defaultNode = defaultIteration != null ? defaultIteration
        : iterations.isEmpty() ? boards.iterations : iterations.get(0);
    settings.set("defaultIteration", settingsRef(defaultNode));
    if (defaultIterationMacro != null) {
      settings.put("defaultIterationMacro", defaultIterationMacro);
    }
    settings.put("url", teamUrl() + "/_apis/work/teamsettings");
    return settings;
  }

  /** Applies {@code PATCH …/teamsettings}; iterations are named by id. Returns an error message, or null. */
  synchronized String patchSettings(JsonNode body) {
    Boards.Node backlog = body.has("backlogIteration") ? boards.iterations.byIdentifier(body.path("backlogIteration")
        .asText()) : backlogIteration;
    Boards.Node fallback = body.has("defaultIteration") ? boards.iterations.byIdentifier(body.path("defaultIteration")
        .asText()) : defaultIteration;
    if (backlog == null || (body.has("defaultIteration") && fallback == null)) {
      return "VS403096: The iteration " + body.path("backlogIteration").asText(body.path("defaultIteration").asText())
          + " does not exist.";
    }
    backlogIteration = backlog;
    defaultIteration = fallback;
    if (body.has("bugsBehavior")) {
      bugsBehavior = body.path("bugsBehavior").asText();
    }
    if (body.path("workingDays").isArray()) {
      workingDays = body.path("workingDays").deepCopy();
    }
    if (body.path("backlogVisibilities").isObject()) {
      backlogVisibilities = body.path("backlogVisibilities").deepCopy();
    }
    if (body.has("defaultIterationMacro")) {
      defaultIterationMacro = body.path("defaultIterationMacro").asText(null);
    } else if (body.has("defaultIteration")) {
      defaultIterationMacro = null;
    }
    return null;
  }

  /** Adds an iteration by id ({@code POST …/teamsettings/iterations}); null when there is no such iteration. */
  synchronized Boards.Node addIteration(String identifier) {
    Boards.Node node = boards.iterations.byIdentifier(identifier);
    if (node != null && !iterations.contains(node)) {
      iterations.add(node);
    }
    return node;
  }

  /** Applies {@code PATCH …/teamfieldvalues}; every value must be an existing area. Returns an error message, or null. */
  synchronized String patchFieldValues(JsonNode body) {
    Boards.Node defaultArea = boards.areas.byPath(body.path("defaultValue").asText());
    if (defaultArea == null) {
      return "TF400499: The area path " + body.path("defaultValue").asText() + " does not exist.";
    }
    for (JsonNode value : body.path("values")) {
      if (boards.areas.byPath(value.path("value").asText()) == null) {
        return "TF400499: The area path " + value.path("value").asText() + " does not exist.";
      }
    }
    area = defaultArea;
    areaValues = body.path("values").deepCopy();
    return null;
  }

  ObjectNode iterationRef(Boards.Node node) {
    ObjectNode ref = JSON.createObjectNode();
    ref.put("id", node.identifier.toString());
    ref.put("name", node.name);
    ref.put("path", node.path());
    if (node.start != null) {
      ref.putObject("attributes").put("startDate", node.start + "T00:00:00Z")
          .put("finishDate", node.finish + "T00:00:00Z").put("timeFrame", "past");
    }
    ref.put("url", teamUrl() + "/_apis/work/teamsettings/iterations/" + node.identifier);
    return ref;
  }

  /**
   * Team settings name an iteration by its path below the project, {@code \\Release 1}, and the
   * root by an empty one (work/7.1/httpExamples/teamsettings/GET__work_teamsettings.json); team
   * iterations carry the whole path, {@code Web\\Release 1} (…/iterations/POST__work_teamsettings_iterations.json).
   */
  private ObjectNode settingsRef(Boards.Node node) {
    ObjectNode ref = iterationRef(node);
    ref.put("path", node.relative().isEmpty() ? "" : "\\" + node.relative().replace('/', '\\'));
    return ref;
  }

  List<ObjectNode> iterations() {
    return iterations.stream().map(this::iterationRef).toList();
  }

  ObjectNode teamFieldValues() {
    ObjectNode values = JSON.createObjectNode();
    values.putObject("field").put("referenceName", "System.AreaPath").put("url",
        boards.project().organization().url() + "/_apis/wit/fields/System.AreaPath");
    values.put("defaultValue", area.path());
    if (areaValues == null) {
      values.putArray("values").addObject().put("value", area.path()).put("includeChildren", true);
    } else {
      values.set("values", areaValues.deepCopy());
    }
    values.put("url", teamUrl() + "/_apis/work/teamsettings/teamfieldvalues");
    return values;
  }
}
