package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Kanban board of one backlog level of a {@link Team}. */
public final class Board {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The id of the default swimlane. */
  private static final String DEFAULT_ROW = "00000000-0000-0000-0000-000000000000";

  private final Team team;
  final String name;
  final UUID boardId;
  private final List<ObjectNode> columns = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> rows = new CopyOnWriteArrayList<>();
  private volatile ObjectNode cardSettings;
  private volatile ObjectNode cardRules;
  private volatile int revision;

  Board(Team team, String name) {
    this.team = team;
    this.name = name;
    this.boardId = UUID.nameUUIDFromBytes((team.id() + ":board:" + name).getBytes(StandardCharsets.UTF_8));
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
    ref.put("url", team.teamUrl() + "/_apis/work/boards/" + boardId);
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
