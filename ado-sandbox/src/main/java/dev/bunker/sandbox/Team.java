package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
  private static final String DEFAULT_ROW = "00000000-0000-0000-0000-000000000000";

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
      backlogBoards.add(new Board(level));
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
      Dashboard created = new Dashboard(dashboardName, dashboards.size() + 1);
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
    team.put("url", boards.project().organization().url() + "/_apis/projects/" + boards.project().id() + "/teams/" + id);
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

  /** A Kanban board of one backlog level. */
  public final class Board {
    final String name;
    final UUID boardId;
    private final List<ObjectNode> columns = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> rows = new CopyOnWriteArrayList<>();
    private volatile ObjectNode cardSettings;
    private volatile ObjectNode cardRules;
    private volatile int revision;

    Board(String name) {
      this.name = name;
      this.boardId = UUID.nameUUIDFromBytes((id + ":board:" + name).getBytes(StandardCharsets.UTF_8));
      List<String> initial = List.of("New", "Active", "Resolved", "Closed");
      for (int i = 0; i < initial.size(); i++) {
        String column = initial.get(i);
        ObjectNode node = columnNode(column);
        node.put("itemLimit", i == 0 || i == initial.size() - 1 ? 0 : 5);
        node.putObject("stateMappings").put("User Story", column).put("Bug", column);
        node.put("columnType", i == 0 ? "incoming" : i == initial.size() - 1 ? "outgoing" : "inProgress");
        columns.add(node);
      }
      rows.add(JSON.createObjectNode().put("id", DEFAULT_ROW).putNull("name"));
      cardSettings = defaultCardSettings();
      cardRules = defaultCardRules();
    }

    private ObjectNode columnNode(String column) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", UUID.nameUUIDFromBytes((boardId + ":column:" + column).getBytes(StandardCharsets.UTF_8)).toString());
      node.put("name", column);
      node.put("itemLimit", 5);
      node.putObject("stateMappings").put("User Story", "Active").put("Bug", "Active");
      node.put("isSplit", false);
      node.put("description", "");
      node.put("columnType", "inProgress");
      return node;
    }

    /** Inserts an in-progress column before the last one. */
    public synchronized Board column(String columnName) {
      columns.add(columns.size() - 1, columnNode(columnName));
      revision++;
      return this;
    }

    /** Adds a swimlane. */
    public synchronized Board swimlane(String rowName) {
      rows.add(JSON.createObjectNode().put("id", UUID.nameUUIDFromBytes((boardId + ":row:" + rowName)
          .getBytes(StandardCharsets.UTF_8)).toString()).put("name", rowName));
      revision++;
      return this;
    }

    /**
     * Replaces the columns as {@code PUT …/columns} does: the first must be the incoming and the last
     * the outgoing column, with the ids they have; new columns come without an id. Returns an error
     * message, or null when the columns were replaced.
     */
    synchronized String replaceColumns(JsonNode body) {
      if (!body.isArray() || body.size() < 2) {
        return "VS403302: A board needs an incoming and an outgoing column.";
      }
      String incoming = columns.get(0).path("id").asText();
      String outgoing = columns.get(columns.size() - 1).path("id").asText();
      JsonNode first = body.get(0);
      JsonNode last = body.get(body.size() - 1);
      if (!"incoming".equals(first.path("columnType").asText()) || !incoming.equals(first.path("id").asText())
          || !"outgoing".equals(last.path("columnType").asText()) || !outgoing.equals(last.path("id").asText())) {
        return "VS403301: The incoming and outgoing columns must keep their ids and positions.";
      }
      List<ObjectNode> replaced = new java.util.ArrayList<>();
      for (JsonNode column : body) {
        ObjectNode node = column.deepCopy();
        String existing = node.path("id").asText("");
        if (existing.isEmpty()) {
          node.put("id", columnNode(node.path("name").asText()).path("id").asText());
        } else if (columns.stream().noneMatch(c -> c.path("id").asText().equals(existing))) {
          return "VS403303: The column id " + existing + " is not a column of this board.";
        }
        replaced.add(node);
      }
      columns.clear();
      columns.addAll(replaced);
      revision++;
      return null;
    }

    /** Replaces the swimlanes as {@code PUT …/rows} does (the default lane keeps its empty id). */
    synchronized void replaceRows(JsonNode body) {
      rows.clear();
      rows.add(JSON.createObjectNode().put("id", DEFAULT_ROW).putNull("name"));
      for (JsonNode row : body) {
        if (!row.path("name").isNull() && !row.path("name").asText("").isEmpty()) {
          swimlane(row.path("name").asText());
        }
      }
    }

    void cardSettings(JsonNode settings) {
      cardSettings = settings.deepCopy();
    }

    void cardRules(JsonNode rules) {
      cardRules = rules.deepCopy();
    }

    ObjectNode reference() {
      ObjectNode ref = JSON.createObjectNode();
      ref.put("id", boardId.toString());
      ref.put("name", name);
      ref.put("url", teamUrl() + "/_apis/work/boards/" + boardId);
      return ref;
    }

    ObjectNode json() {
      ObjectNode board = reference();
      board.put("revision", revision);
      ArrayNode columnArray = board.putArray("columns");
      columns.forEach(c -> columnArray.add(c.deepCopy()));
      ArrayNode rowArray = board.putArray("rows");
      rows.forEach(r -> rowArray.add(r.deepCopy()));
      board.put("isValid", true);
      board.putObject("fields").set("columnField", JSON.createObjectNode()
          .put("referenceName", "WEF_" + boardId.toString().replace("-", "").toUpperCase(java.util.Locale.ROOT)
              + "_Kanban.Column"));
      return board;
    }

    ObjectNode cardSettings() {
      return cardSettings.deepCopy();
    }

    ObjectNode cardRules() {
      return cardRules.deepCopy();
    }

    private ObjectNode defaultCardSettings() {
      ObjectNode settings = JSON.createObjectNode();
      ArrayNode story = settings.putObject("cards").putArray("User Story");
      for (String field : List.of("System.Id", "System.AssignedTo", "Microsoft.VSTS.Scheduling.StoryPoints",
          "System.Tags")) {
        story.addObject().put("fieldIdentifier", field);
      }
      return settings;
    }

    private ObjectNode defaultCardRules() {
      ObjectNode rules = JSON.createObjectNode();
      ObjectNode blocked = rules.putObject("rules").putArray("fill").addObject();
      blocked.put("name", "Blocked").put("isEnabled", "true");
      blocked.putObject("filter").put("clauses", "[System.Tags] CONTAINS 'blocked'");
      blocked.putObject("settings").put("background-color", "#f4cccc").put("title-color", "#000000");
      rules.withObject("rules").putArray("tagStyle");
      return rules;
    }
  }

  /** A dashboard with widgets. */
  public final class Dashboard {
    final String name;
    final UUID dashboardId;
    final int position;
    private final List<ObjectNode> widgets = new CopyOnWriteArrayList<>();
    private volatile String description = "";
    private volatile int version = 1;
    private volatile Instant modified = Boards.CREATED;

    Dashboard(String name, int position) {
      this.name = name;
      this.position = position;
      this.dashboardId = UUID.nameUUIDFromBytes((id + ":dashboard:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a widget showing a query chart, in the next free column. */
    public Dashboard widget(String widgetName, String contributionId) {
      return widget(widgetName, contributionId, "{\"query\":\"Shared Queries/Active bugs\",\"chartType\":\"stackBar\"}");
    }

    /** Adds a widget with {@code settings} (a JSON string, as Azure DevOps keeps them) in the next free column. */
    public synchronized Dashboard widget(String widgetName, String contributionId, String settings) {
      ObjectNode widget = JSON.createObjectNode();
      widget.put("name", widgetName);
      widget.putObject("position").put("row", 1).put("column", 1 + widgets.size() * 2);
      widget.putObject("size").put("rowSpan", 2).put("columnSpan", 2);
      widget.put("settings", settings);
      widget.putObject("settingsVersion").put("major", 1).put("minor", 0).put("patch", 0);
      widget.put("contributionId", contributionId);
      add(widget);
      version++;
      modified = Instant.now();
      return this;
    }

    private void add(ObjectNode widget) {
      widget.put("id", UUID.nameUUIDFromBytes((dashboardId + ":widget:" + widgets.size())
          .getBytes(StandardCharsets.UTF_8)).toString());
      widget.put("eTag", "1");
      widgets.add(widget);
    }

    /**
     * Replaces the dashboard as {@code PUT …/dashboards/{id}} does: the widgets only when given, and
     * only while {@code eTag} (when given) is the current one. Returns an error message, or null.
     */
    synchronized String replace(JsonNode body) {
      if (body.hasNonNull("eTag") && !body.path("eTag").asText().equals(Integer.toString(version))) {
        return "TF401414: The dashboard was changed by someone else (version " + body.path("eTag").asText()
            + " is not the current one).";
      }
      description = body.path("description").asText(description);
      if (body.path("widgets").isArray()) {
        widgets.clear();
        body.path("widgets").forEach(w -> add(((ObjectNode) w.deepCopy())));
      }
      version++;
      modified = Instant.now();
      return null;
    }

    synchronized ObjectNode json(boolean withWidgets) {
      ObjectNode dashboard = JSON.createObjectNode();
      dashboard.put("id", dashboardId.toString());
      dashboard.put("name", name);
      dashboard.put("description", description);
      dashboard.put("position", position);
      dashboard.put("refreshInterval", 0);
      dashboard.put("eTag", Integer.toString(version));
      dashboard.put("groupId", id.toString());
      dashboard.put("ownerId", id.toString());
      dashboard.put("dashboardScope", "project_Team");
      dashboard.put("modifiedDate", modified.toString());
      // Changes whenever someone looks at the dashboard.
      dashboard.put("lastAccessedDate", Instant.now().toString());
      if (withWidgets) {
        ArrayNode array = dashboard.putArray("widgets");
        widgets.forEach(w -> array.add(w.deepCopy()));
      }
      dashboard.put("url", teamUrl() + "/_apis/dashboard/dashboards/" + dashboardId);
      return dashboard;
    }
  }
}
