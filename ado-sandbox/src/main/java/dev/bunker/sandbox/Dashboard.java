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

/** A dashboard of a {@link Team}, with widgets. */
public final class Dashboard {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Team team;
  final String name;
  final UUID dashboardId;
  final int position;
  private final List<ObjectNode> widgets = new CopyOnWriteArrayList<>();
  private volatile String description = "";
  private volatile int version = 1;
  private volatile Instant modified = Boards.CREATED;

  Dashboard(Team team, String name, int position) {
    this.team = team;
    this.name = name;
    this.position = position;
    this.dashboardId = UUID.nameUUIDFromBytes((team.id() + ":dashboard:" + name).getBytes(StandardCharsets.UTF_8));
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
    dashboard.put("groupId", team.id().toString());
    dashboard.put("ownerId", team.id().toString());
    dashboard.put("dashboardScope", "project_Team");
    dashboard.put("modifiedDate", modified.toString());
    // Changes whenever someone looks at the dashboard.
    dashboard.put("lastAccessedDate", Instant.now().toString());
    if (withWidgets) {
      ArrayNode array = dashboard.putArray("widgets");
      widgets.forEach(w -> array.add(w.deepCopy()));
    }
    dashboard.put("url", team.teamUrl() + "/_apis/dashboard/dashboards/" + dashboardId);
    return dashboard;
  }
}
