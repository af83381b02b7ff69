package dev.bunker.sandbox;

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

  private final Boards boards;
  private final String name;
  private final UUID id;
  private final List<String> members = new CopyOnWriteArrayList<>();
  private final List<Boards.Node> iterations = new CopyOnWriteArrayList<>();
  private final List<Board> backlogBoards = new CopyOnWriteArrayList<>();
  private final List<Dashboard> dashboards = new CopyOnWriteArrayList<>();
  private volatile Boards.Node area;
  private volatile String bugsBehavior = "asRequirements";

  Team(Boards boards, String name) {
    this.boards = boards;
    this.name = name;
    this.id = UUID.nameUUIDFromBytes((boards.project().id() + ":team:" + name).getBytes(StandardCharsets.UTF_8));
    this.area = boards.areas;
    for (int sprint = 1; sprint <= 3; sprint++) {
      iterations.add(boards.iterations.child("Sprint " + sprint));
    }
    for (String level : List.of("Epics", "Features", "Stories")) {
      backlogBoards.add(new Board(level));
    }
    members.add("Kim Lead");
    dashboard("Overview").widget("Sprint burndown", "ms.vss-dashboards-web.Microsoft.VisualStudioOnline.Dashboards.BurndownWidget");
  }

  public String name() {
    return name;
  }

  public UUID id() {
    return id;
  }

  /** Adds a member. */
  public Team member(String displayName) {
    members.add(displayName);
    return this;
  }

  /** The team's area: work items under it (and its children) are the team's. */
  public Team area(Boards.Node node) {
    area = node;
    return this;
  }

  /** Adds an iteration the team works in. */
  public Team iteration(Boards.Node node) {
    iterations.add(node);
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

  ObjectNode settings() {
    ObjectNode settings = JSON.createObjectNode();
    settings.set("backlogIteration", iterationRef(boards.iterations));
    settings.put("bugsBehavior", bugsBehavior);
    ArrayNode days = settings.putArray("workingDays");
    List.of("monday", "tuesday", "wednesday", "thursday", "friday").forEach(days::add);
    ObjectNode visibilities = settings.putObject("backlogVisibilities");
    visibilities.put("Microsoft.EpicCategory", false).put("Microsoft.FeatureCategory", true)
        .put("Microsoft.RequirementCategory", true);
    settings.set("defaultIteration", iterationRef(iterations.isEmpty() ? boards.iterations : iterations.get(0)));
    settings.put("defaultIterationMacro", "@currentIteration");
    settings.put("url", teamUrl() + "/_apis/work/teamsettings");
    return settings;
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

  List<ObjectNode> iterations() {
    return iterations.stream().map(this::iterationRef).toList();
  }

  ObjectNode teamFieldValues() {
    ObjectNode values = JSON.createObjectNode();
    values.putObject("field").put("referenceName", "System.AreaPath").put("url",
        boards.project().organization().url() + "/_apis/wit/fields/System.AreaPath");
    values.put("defaultValue", area.path());
    values.putArray("values").addObject().put("value", area.path()).put("includeChildren", true);
    values.put("url", teamUrl() + "/_apis/work/teamsettings/teamfieldvalues");
    return values;
  }

  /** A Kanban board of one backlog level. */
  public final class Board {
    final String name;
    final UUID boardId;
    private final List<String> columns = new CopyOnWriteArrayList<>(List.of("New", "Active", "Resolved", "Closed"));
    private final List<String> rows = new CopyOnWriteArrayList<>();
    private volatile int revision;

    Board(String name) {
      this.name = name;
      this.boardId = UUID.nameUUIDFromBytes((id + ":board:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** Inserts an in-progress column before the last one. */
    public Board column(String columnName) {
      columns.add(columns.size() - 1, columnName);
      revision++;
      return this;
    }

    /** Adds a swimlane. */
    public Board swimlane(String rowName) {
      rows.add(rowName);
      revision++;
      return this;
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
      for (int i = 0; i < columns.size(); i++) {
        String column = columns.get(i);
        ObjectNode node = columnArray.addObject();
        node.put("id", UUID.nameUUIDFromBytes((boardId + ":column:" + column).getBytes(StandardCharsets.UTF_8)).toString());
        node.put("name", column);
        node.put("itemLimit", i == 0 || i == columns.size() - 1 ? 0 : 5);
        String state = List.of("New", "Active", "Resolved", "Closed").contains(column) ? column : "Active";
        node.putObject("stateMappings").put("User Story", state).put("Bug", state);
        node.put("isSplit", false);
        node.put("description", "");
        node.put("columnType", i == 0 ? "incoming" : i == columns.size() - 1 ? "outgoing" : "inProgress");
      }
      ArrayNode rowArray = board.putArray("rows");
      rowArray.addObject().put("id", "00000000-0000-0000-0000-000000000000").putNull("name");
      for (String row : rows) {
        rowArray.addObject().put("id", UUID.nameUUIDFromBytes((boardId + ":row:" + row).getBytes(StandardCharsets.UTF_8))
            .toString()).put("name", row);
      }
      board.put("isValid", true);
      board.putObject("fields").set("columnField", JSON.createObjectNode()
          .put("referenceName", "WEF_" + boardId.toString().replace("-", "").toUpperCase(java.util.Locale.ROOT)
              + "_Kanban.Column"));
      return board;
    }

    ObjectNode cardSettings() {
      ObjectNode settings = JSON.createObjectNode();
      ArrayNode story = settings.putObject("cards").putArray("User Story");
      for (String field : List.of("System.Id", "System.AssignedTo", "Microsoft.VSTS.Scheduling.StoryPoints", "System.Tags")) {
        story.addObject().put("fieldIdentifier", field);
      }
      return settings;
    }

    ObjectNode cardRules() {
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
    private volatile Instant modified = Boards.CREATED;

    Dashboard(String name, int position) {
      this.name = name;
      this.position = position;
      this.dashboardId = UUID.nameUUIDFromBytes((id + ":dashboard:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a widget in the next free column. */
    public Dashboard widget(String widgetName, String contributionId) {
      ObjectNode widget = JSON.createObjectNode();
      widget.put("id", UUID.nameUUIDFromBytes((dashboardId + ":widget:" + widgets.size()).getBytes(StandardCharsets.UTF_8))
          .toString());
      widget.put("name", widgetName);
      widget.putObject("position").put("row", 1).put("column", 1 + widgets.size() * 2);
      widget.putObject("size").put("rowSpan", 2).put("columnSpan", 2);
      widget.put("settings", "{\"query\":\"Shared Queries/Active bugs\",\"chartType\":\"stackBar\"}");
      widget.putObject("settingsVersion").put("major", 1).put("minor", 0).put("patch", 0);
      widget.put("contributionId", contributionId);
      widget.put("eTag", Integer.toString(widgets.size() + 1));
      widgets.add(widget);
      modified = Instant.now();
      return this;
    }

    ObjectNode json(boolean withWidgets) {
      ObjectNode dashboard = JSON.createObjectNode();
      dashboard.put("id", dashboardId.toString());
      dashboard.put("name", name);
      dashboard.put("description", "");
      dashboard.put("position", position);
      dashboard.put("refreshInterval", 0);
      dashboard.put("eTag", Integer.toString(widgets.size()));
      dashboard.put("groupId", id.toString());
      dashboard.put("ownerId", id.toString());
      dashboard.put("dashboardScope", "project_Team");
      dashboard.put("modifiedDate", modified.toString());
      // Changes whenever someone looks at the dashboard.
      dashboard.put("lastAccessedDate", Instant.now().toString());
      if (withWidgets) {
        ArrayNode array = dashboard.putArray("widgets");
        widgets.forEach(array::add);
      }
      dashboard.put("url", teamUrl() + "/_apis/dashboard/dashboards/" + dashboardId);
      return dashboard;
    }
  }
}
