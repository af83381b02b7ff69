package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.export.BoardsExport;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * Restores what work items and people depend on first: area and iteration paths (below the target
 * project's roots, iterations with their dates) and shared queries (folders before what they hold,
 * WIQL naming the source project rewritten to the target). Paths and query folders that exist are
 * used as they are; a query the target holds under the same name is skipped or restored beside it
 * under another name ({@link RestoreRun#onConflict}).
 * Teams, their dashboards ({@link TeamRestore}) and test plans ({@link TestPlanRestore}) are
 * restored after; the process stays in the backup only (a restore says so).
 */
final class BoardsRestore {

  private static final List<MetadataKind> KEPT_ONLY = List.of(MetadataKind.PROCESS,
      MetadataKind.PROCESS_WORK_ITEM_TYPE);

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  BoardsRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  /**
   * Where work items go in the target: each backed-up area or iteration path (as work items name
   * it, {@code Source\Backend}) to the same path in the target ({@code Target\Backend}).
   */
  static final class PathMap {
    private final String targetRoot;
    private final Map<String, String> areas = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> iterations = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    PathMap(String sourceRoot, String targetRoot) {
      this.targetRoot = targetRoot;
      areas.put(sourceRoot, targetRoot);
      iterations.put(sourceRoot, targetRoot);
    }

    /** The target's path for a work item's area; the project root (and a note) when it was not restored. */
    String area(String sourcePath, Set<String> notes) {
      return mapped(areas, "area", sourcePath, notes);
    }

    String iteration(String sourcePath, Set<String> notes) {
      return mapped(iterations, "iteration", sourcePath, notes);
    }

    private String mapped(Map<String, String> paths, String what, String sourcePath, Set<String> notes) {
      String target = paths.get(sourcePath);
      if (target == null) {
        notes.add(what + " path " + sourcePath + " is not in the snapshot or could not be made: its work items "
            + "were put on the target project's root");
        return targetRoot;
      }
      return target;
    }
  }

  /** Creates the area and iteration trees of the snapshot below the target's roots. */
  PathMap paths(SnapshotReader snapshot, ProjectRef target, RestoreRun run) {
    Set<String> notes = run.notes;
    String sourceRoot = snapshot.snapshot().projectName();
    PathMap map = new PathMap(sourceRoot, target.name());
    for (String group : List.of("Areas", "Iterations")) {
      var document = snapshot.document(MetadataKind.CLASSIFICATION_NODES, group.toLowerCase(Locale.ROOT));
      if (document.isEmpty()) {
        notes.add(group.toLowerCase(Locale.ROOT) + " are not in the snapshot: work items were put on the target "
            + "project's root");
        continue;
      }
      Map<String, String> paths = group.equals("Areas") ? map.areas : map.iterations;
      String base = encode(target.id()) + "/_apis/wit/classificationnodes/" + group;
      for (JsonNode child : AdoJson.json(document.get()).path("children")) {
        node(base, List.of(), child, sourceRoot, target.name(), paths, run);
      }
    }
    return map;
  }

  /** Makes a path unless it exists (it is then used as it is) or an earlier run made it. */
  private void node(String base, List<String> parent, JsonNode node, String sourceParent, String targetParent,
      Map<String, String> paths, RestoreRun run) {
    String name = node.path("name").asText();
    ObjectNode body = AdoJson.JSON.createObjectNode();
    body.put("name", name);
    if (node.has("attributes")) {
      body.set("attributes", node.path("attributes"));
    }
    String sourcePath = sourceParent + "\\" + name;
    String targetPath = targetParent + "\\" + name;
    String kind = MetadataKind.CLASSIFICATION_NODES.key();
    if (run.made(kind, sourcePath).isEmpty()) {
      try {
        client.exchange().post(organization, credential, base + BoardsExport.nodePath(parent), body);
        run.record(kind, sourcePath, targetPath);
      } catch (AzureDevOpsRequestException e) {
        if (!e.isConflict()) {
          run.notes.add("path " + sourcePath + " could not be made (" + e.getMessage() + "), nor what is below it");
          return;
        }
      }
    }
    paths.put(sourcePath, targetPath);
    List<String> path = new ArrayList<>(parent);
    path.add(name);
    for (JsonNode child : node.path("children")) {
      node(base, path, child, sourcePath, targetPath, paths, run);
    }
  }

  /** Whether a backed-up query is restored: a shared one under the project's root folder (not My Queries). */
  static boolean isRestored(JsonNode query) {
    return query.path("isPublic").asBoolean(false) && query.path("path").asText().contains("/");
  }

  /** The queries API path of the folder that holds the query at {@code path}, under {@code base}. */
  static String parentPath(String base, String path) {
    return base + Arrays.stream(path.substring(0, path.lastIndexOf('/')).split("/")).map(OrganizationUrl::encode)
        .collect(Collectors.joining("/"));
  }
  /**
   * Creates the snapshot's shared queries and folders below the target's "Shared Queries", parents
   * first. Personal queries (the backup account's own) are not restored.
   *
   * @return source query id to the id of the same query in the target (made now or already there),
   *     for what refers to queries by id (dashboard widgets)
   */
  Map<String, String> queries(SnapshotReader snapshot, ProjectRef target, RestoreRun run) {
    Set<String> notes = run.notes;
    Map<String, String> ids = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    String sourceName = snapshot.snapshot().projectName();
    Pattern sourceInWiql = Pattern.compile("'" + Pattern.quote(sourceName) + "(?=[\\\\'])", Pattern.CASE_INSENSITIVE);
    List<JsonNode> queries = new ArrayList<>();
    for (String id : snapshot.entries(MetadataKind.QUERY).keySet()) {
      JsonNode query = AzureDevOpsRestore.read(snapshot, MetadataKind.QUERY, id);
      if (!query.path("isPublic").asBoolean(false)) {
        if (query.path("path").asText().contains("/")) {
          notes.add(
              "personal queries of the backup account (My Queries) were not restored: they belong to that account");
        }
      } else if (isRestored(query)) {
        queries.add(query);
      }
    }
    queries.sort(Comparator.comparingInt((JsonNode q) -> q.path("path").asText().split("/").length)
        .thenComparing(q -> q.path("path").asText()));
    String base = encode(target.id()) + "/_apis/wit/queries/";
    for (JsonNode query : queries) {
      String sourceId = query.path("id").asText();
      Optional<String> made = run.made(MetadataKind.QUERY.key(), sourceId);
      if (made.isPresent()) {
        ids.put(sourceId, made.get());
        continue;
      }
      String path = query.path("path").asText();
      String name = query.path("name").asText();
      ObjectNode body = AdoJson.JSON.createObjectNode();
      body.put("name", name);
      if (query.path("isFolder").asBoolean(false)) {
        body.put("isFolder", true);
      } else {
        body.put("wiql", sourceInWiql.matcher(query.path("wiql").asText())
            .replaceAll("'" + Matcher.quoteReplacement(target.name())));
      }
      String parentPath = parentPath(base, path);
      Optional<String> existing = queryId(parentPath, name);
      if (existing.isPresent()) {
        // a folder of that name holds the restored queries as it is; a query of that name is a conflict
        Optional<String> other = query.path("isFolder").asBoolean(false) ? Optional.empty()
            : run.onConflict("query " + path, name, n -> queryId(parentPath, n).isPresent());
        if (other.isEmpty()) {
          ids.put(sourceId, existing.get());
          continue;
        }
        body.put("name", other.get());
      }
      try {
        String id = client.exchange().post(organization, credential, parentPath, body).body().path("id").asText();
        ids.put(sourceId, id);
        run.record(MetadataKind.QUERY.key(), sourceId, id);
      } catch (AzureDevOpsRequestException e) {
        run.notes.add("query " + path + " could not be made: " + e.getMessage());
      }
    }
    return ids;
  }

  /** The id of the query or folder {@code name} in the folder at {@code parentPath}, if there is one. */
  Optional<String> queryId(String parentPath, String name) {
    try {
      return Optional.of(client.exchange().get(organization, credential, parentPath + "/" + encode(name)).body()
          .path("id").asText());
    } catch (AzureDevOpsRequestException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Says which backed-up kinds a restore does not make, when the snapshot has any. */
  static void notRestored(SnapshotReader snapshot, Set<String> notes) {
    List<String> kept = KEPT_ONLY.stream().filter(k -> !snapshot.entries(k).isEmpty()).map(MetadataKind::key).toList();
    if (!kept.isEmpty()) {
      notes.add("kept in the backup but not restored (recreate them from the snapshot's zip): "
          + String.join(", ", kept));
    }
  }
}
