package dev.bunker.sandbox;

import static dev.bunker.sandbox.BoardsApi.json;
import static dev.bunker.sandbox.BoardsApi.list;
import static dev.bunker.sandbox.BoardsApi.notAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * A team's REST resources ({@link BoardsApi}'s team routes): team settings, iterations and field
 * values, boards with their card settings, card rules, columns and rows, and dashboards (a preview
 * API).
 */
final class TeamApi {

  void settings(BoardsCall call, Matcher m) throws IOException {
    Team team = call.team();
    String method = call.method();
    HttpServletRequest request = call.request();
    HttpServletResponse response = call.response();
    String at = call.at();
    String part = m.group(1) == null ? "" : m.group(1);
    String write = part.equals("iterations") ? "POST" : "PATCH";
    if (!method.equals("GET") && !method.equals(write)) {
      notAllowed(response, method);
      return;
    }
    JsonNode body = method.equals("GET") ? null : MetadataApi.body(request, response);
    if (!method.equals("GET") && body == null) {
      return;
    }
    if (part.isEmpty()) {
      String error = body == null ? null : team.patchSettings(body);
      if (error != null) {
        RestApi.error(response, 400, error, "InvalidTeamSettingsException");
      } else {
        RestApi.write(response, 200, team.settings(), at);
      }
    } else if (part.equals("iterations")) {
      if (body == null) {
        RestApi.write(response, 200, MetadataApi.list(new ArrayList<JsonNode>(team.iterations())), at);
        return;
      }
      Boards.Node added = team.addIteration(body.path("id").asText());
      if (added == null) {
        RestApi.error(response, 400, "VS403096: The iteration " + body.path("id").asText() + " does not exist.",
            "InvalidTeamSettingsIterationException");
      } else {
        RestApi.write(response, 200, team.iterationRef(added), at);
      }
    } else {
      String error = body == null ? null : team.patchFieldValues(body);
      if (error != null) {
        RestApi.error(response, 400, error, "InvalidTeamFieldValueException");
      } else {
        RestApi.write(response, 200, team.teamFieldValues(), at);
      }
    }
  }

  void dashboards(BoardsCall call, Matcher m) throws IOException {
    Team team = call.team();
    String method = call.method();
    HttpServletResponse response = call.response();
    String at = call.at();
    if (!call.version().preview()) {
      MetadataApi.previewRequired(response, call.version());
      return;
    }
    if (team.dashboardsForbidden()) {
      RestApi.error(response, 403, "TF401404: You do not have permission to view the dashboards of team "
          + team.name() + ".", "DashboardPermissionDeniedException");
      return;
    }
    String write = m.group(1) == null ? "POST" : "PUT";
    if (!method.equals("GET") && !method.equals(write)) {
      notAllowed(response, method);
      return;
    }
    JsonNode body = method.equals("GET") ? null : MetadataApi.body(call.request(), response);
    if (!method.equals("GET") && body == null) {
      return;
    }
    if (m.group(1) == null) {
      if (body == null) {
        RestApi.write(response, 200, MetadataApi.list(team.dashboards().stream()
            .<JsonNode>map(d -> d.json(false)).toList()), at);
        return;
      }
      String name = body.path("name").asText("");
      if (name.isBlank()) {
        RestApi.error(response, 400, "TF401406: A dashboard needs a name.", "InvalidArgumentValueException");
        return;
      }
      Dashboard created = team.dashboard(name);
      created.replace(body);
      RestApi.write(response, 200, created.json(true), at);
      return;
    }
    String id = m.group(1);
    Optional<Dashboard> dashboard = team.dashboards().stream()
        .filter(d -> d.dashboardId.toString().equalsIgnoreCase(id)).findFirst();
    if (dashboard.isEmpty()) {
      RestApi.error(response, 404, "TF401405: The dashboard " + id + " does not exist.",
          "DashboardDoesNotExistException");
      return;
    }
    String error = body == null ? null : dashboard.get().replace(body);
    if (error != null) {
      RestApi.error(response, 409, error, "DashboardVersionMismatchException");
    } else {
      RestApi.write(response, 200, dashboard.get().json(true), at);
    }
  }

  void board(BoardsCall call, Matcher m) throws IOException {
    Team team = call.team();
    String method = call.method();
    HttpServletResponse response = call.response();
    String version = call.at();
    if (m.group(1) == null) {
      if (!method.equals("GET")) {
        notAllowed(response, method);
        return;
      }
      RestApi.write(response, 200, MetadataApi.list(team.boards().stream().<JsonNode>map(Board::reference)
          .toList()), version);
      return;
    }
    String id = m.group(1);
    Optional<Board> found = team.boards().stream()
        .filter(b -> b.boardId.toString().equalsIgnoreCase(id) || b.name.equalsIgnoreCase(id)).findFirst();
    if (found.isEmpty()) {
      RestApi.error(response, 404, "TF400499: The board " + id + " does not exist.", "BoardDoesNotExistException");
      return;
    }
    Board board = found.get();
    String part = m.group(2) == null ? "" : m.group(2);
    String write = part.equals("cardrulesettings") ? "PATCH" : part.isEmpty() ? "" : "PUT";
    if (!method.equals("GET") && !method.equals(write)) {
      notAllowed(response, method);
      return;
    }
    if (method.equals("GET")) {
      JsonNode answer = switch (part) {
        case "cardsettings" -> board.cardSettings();
        case "cardrulesettings" -> board.cardRules();
        case "columns" -> board.json().path("columns");
        case "rows" -> board.json().path("rows");
        default -> board.json();
      };
      RestApi.write(response, 200, answer.isArray() ? list((ArrayNode) answer) : answer, version);
      return;
    }
    JsonNode body = json(call, part.equals("columns") || part.equals("rows"));
    if (body == null) {
      return;
    }
    switch (part) {
      case "columns" -> {
        String error = board.replaceColumns(body);
        if (error != null) {
          RestApi.error(response, 400, error, "BoardValidationFailureException");
          return;
        }
      }
      case "rows" -> board.replaceRows(body);
      case "cardsettings" -> board.cardSettings(body);
      default -> board.cardRules(body);
    }
    JsonNode answer = switch (part) {
      case "columns" -> board.json().path("columns");
      case "rows" -> board.json().path("rows");
      case "cardsettings" -> board.cardSettings();
      default -> board.cardRules();
    };
    RestApi.write(response, 200, answer.isArray() ? list((ArrayNode) answer) : answer, version);
  }
}
