package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every team of a project: members; settings, iterations and areas; each board with its columns,
 * swimlanes, card fields and card rules; each dashboard with its widgets. A team, card setting or
 * dashboard that cannot be read is listed as not backed up and the rest goes on.
 */
public final class TeamExport {

  private final Calls calls;
  private final int pageSize;

  TeamExport(Calls calls, int pageSize) {
    this.calls = calls;
    this.pageSize = pageSize;
  }

  void export(ProjectRef project, MetadataSink sink) {
    List<JsonNode> teams = calls.skipPages("_apis/projects/" + encode(project.id()) + "/teams", pageSize);
    calls.forEach(teams, team -> {
      try {
        team(project, team, sink);
      } catch (AzureDevOpsRequestException e) {
        // One team that cannot be read does not cost the others theirs.
        sink.omit(MetadataKind.TEAM.key(), team.path("id").asText(), "team " + team.path("name").asText()
            + " could not be read: " + e.getMessage());
      }
    });
  }

  /** Runs on the pool: reads sequentially (the pool's threads must not wait on the pool). */
  private void team(ProjectRef project, JsonNode team, MetadataSink sink) {
    String id = team.path("id").asText();
    String name = team.path("name").asText();
    ObjectNode doc = team.deepCopy();
    ArrayNode members = doc.putArray("members");
    calls.skipPages("_apis/projects/" + encode(project.id()) + "/teams/" + encode(id) + "/members", pageSize)
        .forEach(members::add);
    String base = encode(project.id()) + "/" + encode(id) + "/_apis/";
    ObjectNode settings = AdoJson.JSON.createObjectNode();
    settings.put("teamId", id);
    settings.set("settings", calls.get(base + "work/teamsettings"));
    settings.set("iterations", calls.get(base + "work/teamsettings/iterations").path("value"));
    settings.set("teamFieldValues", calls.get(base + "work/teamsettings/teamfieldvalues"));
    for (JsonNode reference : calls.get(base + "work/boards").path("value")) {
      String boardId = reference.path("id").asText();
      String boardPath = base + "work/boards/" + encode(boardId);
      ObjectNode board = calls.get(boardPath).deepCopy();
      String what = "board " + reference.path("name").asText() + " of team " + name;
      readable(sink, MetadataKind.BOARD, id + "/" + boardId + "/cardSettings", "card settings of " + what,
          () -> board.set("cardSettings", calls.get(boardPath + "/cardsettings")));
      readable(sink, MetadataKind.BOARD, id + "/" + boardId + "/cardRules", "card rules of " + what,
          () -> board.set("cardRules", calls.get(boardPath + "/cardrulesettings")));
      sink.put(MetadataKind.BOARD, id + "/" + boardId, document(board));
    }
    readable(sink, MetadataKind.DASHBOARD, id, "dashboards of team " + name, () -> {
      dashboards(base, id, sink);
      return null;
    });
    sink.put(MetadataKind.TEAM_SETTINGS, id, document(settings));
    sink.put(MetadataKind.TEAM, id, document(doc));
  }

  private void dashboards(String base, String teamId, MetadataSink sink) {
    JsonNode list = calls.get(base + "dashboard/dashboards", ApiVersions::dashboardsVersion);
    // Newer versions answer {value: […]}, older ones {dashboardEntries: […]}.
    JsonNode entries = list.has("value") ? list.path("value") : list.path("dashboardEntries");
    for (JsonNode entry : entries) {
      String dashboardId = entry.path("id").asText();
      ObjectNode dashboard = calls.get(base + "dashboard/dashboards/" + encode(dashboardId),
          ApiVersions::dashboardsVersion).deepCopy();
      // Changes whenever someone opens the dashboard: no reason to store it again.
      dashboard.remove("lastAccessedDate");
      sink.put(MetadataKind.DASHBOARD, teamId + "/" + dashboardId, document(dashboard));
    }
  }

  /** Reads a part that Azure DevOps may refuse (permissions, features turned off); a refusal is listed. */
  private static void readable(MetadataSink sink, MetadataKind kind, String id, String what, Supplier<?> read) {
    try {
      read.get();
    } catch (AzureDevOpsRequestException e) {
      sink.omit(kind.key(), id, what + " could not be read: " + e.getMessage());
    }
  }
}
