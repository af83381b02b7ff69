package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Api;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Service;
import dev.bunker.ado.export.BoardsExport;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Restores teams once paths exist: each team (the source's default team onto the target's), its
 * settings (working days, backlog levels, bugs behaviour, backlog and default iteration), the
 * iterations it works in, its areas, and each board's columns, swimlanes, card fields and card
 * rules, its dashboards with their widgets, and its members the target organization knows. A team
 * the target already holds (the target's default team too) is never reconfigured: it is skipped, or
 * the snapshot's is made beside it under another name ({@link RestoreRun#onConflict}); what an
 * earlier run of the restore made is not made again.
 */
final class TeamRestore {

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  TeamRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  /**
   * @param queryIds source query ids to the target's, to point dashboard widgets at the restored queries
   */
  void teams(SnapshotReader snapshot, ProjectRef target, BoardsRestore.PathMap paths, Map<String, String> queryIds,
      TargetIdentities people, RestoreRun run) {
    if (snapshot.entries(MetadataKind.TEAM).isEmpty()) {
      return;
    }
    Map<String, String> iterationIds = iterationIds(target);
    String teamsPath = "_apis/projects/" + encode(target.id()) + "/teams";
    Map<String, JsonNode> existing = existingTeams(target);
    for (String sourceId : snapshot.entries(MetadataKind.TEAM).keySet()) {
      JsonNode team = AzureDevOpsRestore.read(snapshot, MetadataKind.TEAM, sourceId);
      String targetName = targetName(snapshot, team, target);
      try {
        String teamId = run.made(MetadataKind.TEAM.key(), sourceId).orElse(null);
        if (teamId == null) {
          if (existing.containsKey(targetName)) {
            Optional<String> other = run.onConflict("team " + targetName + " (its settings, boards and dashboards)",
                targetName, existing::containsKey);
            if (other.isEmpty()) {
              continue;
            }
            targetName = other.get();
          }
          ObjectNode body = AdoJson.JSON.createObjectNode();
          body.put("name", targetName);
          body.put("description", team.path("description").asText(""));
          teamId = client.exchange().post(organization, credential, teamsPath, body).body().path("id").asText();
          run.record(MetadataKind.TEAM.key(), sourceId, teamId);
        }
        String base = encode(target.id()) + "/" + encode(teamId) + "/_apis/";
        var settings = snapshot.document(MetadataKind.TEAM_SETTINGS, sourceId);
        if (settings.isPresent() && run.made(MetadataKind.TEAM_SETTINGS.key(), sourceId).isEmpty()) {
          settings(base + "work/", AdoJson.json(settings.get()), snapshot.snapshot().projectName(),
              iterationIds, paths, run.notes);
          run.record(MetadataKind.TEAM_SETTINGS.key(), sourceId, teamId);
        }
        boards(snapshot, sourceId, base + "work/", targetName, run);
        Map<String, String> ids = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ids.putAll(queryIds);
        ids.put(snapshot.snapshot().projectId(), target.id());
        ids.put(sourceId, teamId);
        dashboards(snapshot, sourceId, base + "dashboard/dashboards", targetName, ids, run);
        members(team.path("members"), target, teamId, people, run);
      } catch (AzureDevOpsRequestException e) {
        run.notes.add("team " + targetName + " could not be restored whole: " + e.getMessage());
      }
    }
  }

  /** The target's teams by name. */
  Map<String, JsonNode> existingTeams(ProjectRef target) {
    Map<String, JsonNode> existing = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Calls.sequential(client.exchange(), organization, credential)
        .skipPages("_apis/projects/" + encode(target.id()) + "/teams", 100)
        .forEach(t -> existing.put(t.path("name").asText(), t));
    return existing;
  }

  /** The name a team gets in the target: its own, or for the source's default team the target's default team's. */
  static String targetName(SnapshotReader snapshot, JsonNode team, ProjectRef target) {
    String name = team.path("name").asText();
    return name.equalsIgnoreCase(snapshot.snapshot().projectName() + " Team") ? target.name() + " Team" : name;
  }

  /**
   * Adds the team's members whom the target organization knows, and who are not members yet, to the
   * team's group through Graph (graph/7.1/graph.json Memberships_Add, by subject descriptors: the
   * team's id is its group's storage key, which Descriptors_Get turns into one); the others are
   * listed as unmapped. Graph is Azure DevOps Services only, so a Server collection gets none.
   */
  private void members(JsonNode members, ProjectRef target, String teamId, TargetIdentities people,
      RestoreRun run) {
    Set<String> notes = run.notes;
    Set<String> identities = run.identities;
    if (!members.isEmpty() && Api.GRAPH.missing(organization, client.exchange().apiVersion(organization)).isPresent()) {
      notes.add("team members were not added: Azure DevOps Server has no documented API for it (Graph is Azure "
          + "DevOps Services only); add them in each team's settings (the snapshot lists every team's members)");
      return;
    }
    OrganizationUrl identityHost = organization.at(Service.IDENTITY);
    Set<String> present = new HashSet<>();
    Calls.sequential(client.exchange(), organization, credential)
        .skipPages("_apis/projects/" + encode(target.id()) + "/teams/" + encode(teamId) + "/members", 100)
        .forEach(m -> present.add(m.path("identity").path("id").asText().toLowerCase(Locale.ROOT)));
    String group = null;
    for (JsonNode member : members) {
      JsonNode person = member.path("identity");
      if (people.id(person).filter(id -> present.contains(id.toLowerCase(Locale.ROOT))).isPresent()) {
        continue;
      }
      Optional<String> descriptor = people.subjectDescriptor(person);
      if (descriptor.isEmpty()) {
        identities.add(TargetIdentities.name(person));
        notes.add("team members the target organization does not know were not added (see the unmapped "
            + "identities); the snapshot lists every team's members");
        continue;
      }
      if (group == null) {
        group = client.exchange().get(identityHost, credential, "_apis/graph/descriptors/" + encode(teamId),
            ApiVersions.previewBefore7(1)).body().path("value").asText();
      }
      client.exchange().update(identityHost, credential, "PUT",
          "_apis/graph/memberships/" + encode(descriptor.get()) + "/" + encode(group),
          AdoJson.JSON.createObjectNode(), version -> version + "-preview.1");
      run.record("teamMember", teamId + "/" + descriptor.get(), descriptor.get());
      if (member.path("isTeamAdmin").asBoolean(false)) {
        notes.add("team administrators were added as members: make them administrators again in each team's "
            + "settings (the snapshot says who they were)");
      }
    }
  }

  /** The target's iteration paths ({@code Target\Release 1}) to their ids. */
  private Map<String, String> iterationIds(ProjectRef target) {
    return nodeIds(target, "Iterations");
  }

  /** The target's paths of {@code group} (Areas or Iterations), {@code Target\Backend}, to their ids. */
  Map<String, String> nodeIds(ProjectRef target, String group) {
    String base = encode(target.id()) + "/_apis/wit/classificationnodes/" + group;
    ObjectNode tree = get(base + "?$depth=" + BoardsExport.NODE_DEPTH).deepCopy();
    BoardsExport.complete(this::get, base, List.of(), tree);
    Map<String, String> ids = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    collect(tree, target.name(), ids);
    return ids;
  }

  private static void collect(JsonNode node, String path, Map<String, String> ids) {
    ids.put(path, node.path("identifier").asText());
    for (JsonNode child : node.path("children")) {
      collect(child, path + "\\" + child.path("name").asText(), ids);
    }
  }

  private void settings(String base, JsonNode document, String sourceRoot, Map<String, String> iterationIds,
      BoardsRestore.PathMap paths, Set<String> notes) {
    JsonNode source = document.path("settings");
    ObjectNode patch = AdoJson.JSON.createObjectNode();
    for (String field : List.of("bugsBehavior", "workingDays", "backlogVisibilities")) {
      if (source.has(field)) {
        patch.set(field, source.path(field));
      }
    }
    String backlog = iterationIds.get(paths.iteration(iterationPath(source.path("backlogIteration"), sourceRoot),
        notes));
    if (backlog != null) {
      patch.put("backlogIteration", backlog);
    }
    if (source.hasNonNull("defaultIterationMacro")) {
      patch.put("defaultIterationMacro", source.path("defaultIterationMacro").asText());
    } else if (source.has("defaultIteration")) {
      String fallback = iterationIds.get(paths.iteration(iterationPath(source.path("defaultIteration"), sourceRoot),
          notes));
      if (fallback != null) {
        patch.put("defaultIteration", fallback);
      }
    }
    client.exchange().update(organization, credential, "PATCH", base + "teamsettings", patch);

    Set<String> has = new HashSet<>();
    get(base + "teamsettings/iterations").path("value").forEach(i -> has.add(i.path("id").asText()));
    for (JsonNode iteration : document.path("iterations")) {
      String id = iterationIds.get(paths.iteration(iterationPath(iteration, sourceRoot), notes));
      if (id != null && has.add(id)) {
        ObjectNode body = AdoJson.JSON.createObjectNode().put("id", id);
        client.exchange().post(organization, credential, base + "teamsettings/iterations", body);
      }
    }

    JsonNode areas = document.path("teamFieldValues");
    ObjectNode values = AdoJson.JSON.createObjectNode();
    values.put("defaultValue", paths.area(areas.path("defaultValue").asText(sourceRoot), notes));
    ArrayNode array = values.putArray("values");
    for (JsonNode value : areas.path("values")) {
      array.addObject().put("value", paths.area(value.path("value").asText(), notes))
          .put("includeChildren", value.path("includeChildren").asBoolean(false));
    }
    client.exchange().update(organization, credential, "PATCH", base + "teamsettings/teamfieldvalues", values);
  }

  /**
   * An iteration reference's full path ({@code Web\Release 1}). Team iterations carry it whole;
   * team settings leave out the project: {@code \Release 1}, and an empty path for the root
   * (work/7.1/httpExamples/teamsettings/GET__work_teamsettings.json).
   */
  private static String iterationPath(JsonNode iteration, String sourceRoot) {
    String path = iteration.path("path").asText("");
    return path.isEmpty() ? sourceRoot : path.startsWith("\\") ? sourceRoot + path : path;
  }

  /** Configures the boards of a team this restore made (their columns, rows and cards are the new team's defaults). */
  private void boards(SnapshotReader snapshot, String sourceTeamId, String base, String teamName, RestoreRun run) {
    Map<String, String> targetBoards = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    get(base + "boards").path("value").forEach(b -> targetBoards.put(b.path("name").asText(), b.path("id").asText()));
    for (String id : snapshot.entries(MetadataKind.BOARD).keySet()) {
      if (!id.startsWith(sourceTeamId + "/") || run.made(MetadataKind.BOARD.key(), id).isPresent()) {
        continue;
      }
      JsonNode board = AzureDevOpsRestore.read(snapshot, MetadataKind.BOARD, id);
      String targetId = targetBoards.get(board.path("name").asText());
      if (targetId == null) {
        run.notes.add("board " + board.path("name").asText() + " of team " + teamName + " has no counterpart in the "
            + "target project (its process has other backlog levels) and was not restored");
        continue;
      }
      String path = base + "boards/" + encode(targetId);
      JsonNode current = get(path);
      client.exchange().update(organization, credential, "PUT", path + "/columns",
          matched(board.path("columns"), current.path("columns"), true));
      client.exchange().update(organization, credential, "PUT", path + "/rows",
          matched(board.path("rows"), current.path("rows"), false));
      if (board.has("cardSettings")) {
        client.exchange().update(organization, credential, "PUT", path + "/cardsettings", board.path("cardSettings"));
      }
      if (board.has("cardRules")) {
        client.exchange().update(organization, credential, "PATCH", path + "/cardrulesettings",
            board.path("cardRules"));
      }
      run.record(MetadataKind.BOARD.key(), id, targetId);
    }
  }

  /**
   * Makes the dashboards of a team this restore made, or fills one of the same name that Azure
   * DevOps gave the new team (its "Overview"). Widget settings that name a query, the project or the
   * team by id are pointed at the target's.
   */
  private void dashboards(SnapshotReader snapshot, String sourceTeamId, String path, String teamName,
      Map<String, String> ids, RestoreRun run) {
    List<String> sources = snapshot.entries(MetadataKind.DASHBOARD).keySet().stream()
        .filter(id -> id.startsWith(sourceTeamId + "/") && run.made(MetadataKind.DASHBOARD.key(), id).isEmpty())
        .toList();
    if (sources.isEmpty()) {
      return;
    }
    JsonNode list = client.exchange().get(organization, credential, path, ApiVersions::dashboardsVersion).body();
    Map<String, JsonNode> existing = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    (list.has("value") ? list.path("value") : list.path("dashboardEntries"))
        .forEach(d -> existing.put(d.path("name").asText(), d));
    Pattern sourceIds = Pattern.compile(ids.keySet().stream().map(Pattern::quote).collect(Collectors.joining("|")),
        Pattern.CASE_INSENSITIVE);
    for (String id : sources) {
      JsonNode dashboard = AzureDevOpsRestore.read(snapshot, MetadataKind.DASHBOARD, id);
      String name = dashboard.path("name").asText();
      ObjectNode body = AdoJson.JSON.createObjectNode();
      body.put("name", name);
      body.put("description", dashboard.path("description").asText(""));
      body.put("refreshInterval", dashboard.path("refreshInterval").asInt(0));
      ArrayNode widgets = body.putArray("widgets");
      for (JsonNode widget : dashboard.path("widgets")) {
        ObjectNode copy = widget.deepCopy();
        copy.remove(List.of("id", "eTag", "url", "_links", "dashboard"));
        if (widget.path("settings").isTextual()) {
          copy.put("settings", sourceIds.matcher(widget.path("settings").asText())
              .replaceAll(m -> Matcher.quoteReplacement(ids.get(m.group()))));
        }
        widgets.add(copy);
      }
      try {
        JsonNode current = existing.get(name);
        String made;
        if (current == null) {
          made = client.exchange().post(organization, credential, path, body, ApiVersions::dashboardsVersion).body()
              .path("id").asText();
        } else {
          made = current.path("id").asText();
          String existingPath = path + "/" + encode(made);
          body.put("eTag", client.exchange().get(organization, credential, existingPath, ApiVersions::dashboardsVersion)
              .body().path("eTag").asText());
          client.exchange().update(organization, credential, "PUT", existingPath, body, ApiVersions::dashboardsVersion);
        }
        run.record(MetadataKind.DASHBOARD.key(), id, made);
      } catch (AzureDevOpsRequestException e) {
        run.notes.add("dashboard " + name + " of team " + teamName + " could not be restored: " + e.getMessage());
      }
    }
  }

  /**
   * The source's columns or rows with the target's ids where Azure DevOps insists on them: the
   * incoming and outgoing columns and the default lane are the target's own; others of the same
   * name keep the target's id; new ones have none.
   */
  private static ArrayNode matched(JsonNode source, JsonNode target, boolean columns) {
    List<JsonNode> existing = new ArrayList<>();
    target.forEach(existing::add);
    ArrayNode result = AdoJson.JSON.createArrayNode();
    for (JsonNode item : source) {
      ObjectNode copy = item.deepCopy();
      copy.remove("id");
      String type = item.path("columnType").asText("");
      existing.stream().filter(t -> columns && !type.equals("inProgress") && !type.isEmpty()
          ? t.path("columnType").asText().equals(type)
          : t.path("name").asText("").equals(item.path("name").asText("")))
          .findFirst().ifPresent(t -> copy.put("id", t.path("id").asText()));
      result.add(copy);
    }
    return result;
  }

  private JsonNode get(String path) {
    return client.exchange().get(organization, credential, path).body();
  }
}
