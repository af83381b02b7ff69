package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreLedger;
import dev.bunker.metadata.RestorePlan;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A dry run of {@link AzureDevOpsRestore}: reads the target project (its paths, queries, teams,
 * pipelines and test plans by name) and says what a restore would make, skip and rename, with the
 * same rules; writes nothing.
 */
final class RestorePlanner {
  private static final List<MetadataKind> NAMED_PIPELINES = List.of(MetadataKind.VARIABLE_GROUP,
      MetadataKind.TASK_GROUP, MetadataKind.BUILD_DEFINITION, MetadataKind.RELEASE_DEFINITION);

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  RestorePlanner(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  RestorePlan plan(SnapshotReader snapshot, ProjectRef target, OnConflict onConflict) {
    RestoreRun run = new RestoreRun(RestoreLedger.inMemory(), onConflict);
    Map<String, Integer> create = new TreeMap<>();
    paths(snapshot, target, create);
    queries(snapshot, target, run, create);
    teams(snapshot, target, run, create);
    PipelineRestore pipelines = new PipelineRestore(client, organization, credential);
    for (MetadataKind kind : NAMED_PIPELINES) {
      if (snapshot.entries(kind).isEmpty()) {
        continue;
      }
      Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      pipelines.existingNames(target, kind).forEach(e -> existing.add(e.path("name").asText()));
      String what = kind.key().replaceAll("([A-Z])", " $1").toLowerCase(Locale.ROOT);
      for (String id : snapshot.entries(kind).keySet()) {
        if (!PipelineRestore.isRestored(kind, id)) {
          continue;
        }
        named(run, create, kind.key(), what, AzureDevOpsRestore.read(snapshot, kind, id).path("name").asText(),
            existing);
      }
    }
    List<String> notes = new ArrayList<>();
    int policies = (int) snapshot.entries(MetadataKind.POLICY_CONFIGURATION).keySet().stream()
        .map(id -> AzureDevOpsRestore.read(snapshot, MetadataKind.POLICY_CONFIGURATION, id))
        .filter(PolicyRestore::isRestored).count();
    if (policies > 0) {
      create.put(MetadataKind.POLICY_CONFIGURATION.key(), policies);
      notes.add("branch policies: at most " + policies + "; those whose repository or build definition the target "
          + "lacks are not made, and one the target holds already (same type, scope and settings) is left as it is");
    }
    Set<String> kept = WorkItemRestore.kept(Calls.sequential(client.exchange(), organization, credential), snapshot,
        target, run);
    add(create, MetadataKind.WORK_ITEM.key(), snapshot.entries(MetadataKind.WORK_ITEM).size() - kept.size());
    if (!snapshot.entries(MetadataKind.WORK_ITEM).isEmpty()) {
      notes.add("work items are all made anew, with their comments, attachments and the links between them");
    }
    testPlans(snapshot, target, run, create);
    return new RestorePlan(create, List.copyOf(run.skipped), List.copyOf(run.renamed), notes);
  }

  /** Paths the target lacks are made; those it has are used as they are (no conflict). */
  private void paths(SnapshotReader snapshot, ProjectRef target, Map<String, Integer> create) {
    TeamRestore teams = new TeamRestore(client, organization, credential);
    for (String group : List.of("Areas", "Iterations")) {
      var document = snapshot.document(MetadataKind.CLASSIFICATION_NODES, group.toLowerCase(Locale.ROOT));
      if (document.isEmpty()) {
        continue;
      }
      Map<String, String> existing = teams.nodeIds(target, group);
      for (JsonNode child : AdoJson.json(document.get()).path("children")) {
        missing(child, target.name(), existing, create);
      }
    }
  }

  private static void missing(JsonNode node, String parent, Map<String, String> existing,
      Map<String, Integer> create) {
    String path = parent + "\\" + node.path("name").asText();
    if (!existing.containsKey(path)) {
      add(create, MetadataKind.CLASSIFICATION_NODES.key(), 1);
    }
    for (JsonNode child : node.path("children")) {
      missing(child, path, existing, create);
    }
  }

  private void queries(SnapshotReader snapshot, ProjectRef target, RestoreRun run, Map<String, Integer> create) {
    BoardsRestore boards = new BoardsRestore(client, organization, credential);
    String base = encode(target.id()) + "/_apis/wit/queries/";
    for (String id : snapshot.entries(MetadataKind.QUERY).keySet()) {
      JsonNode query = AzureDevOpsRestore.read(snapshot, MetadataKind.QUERY, id);
      String path = query.path("path").asText();
      if (!BoardsRestore.isRestored(query)) {
        continue;
      }
      String parentPath = BoardsRestore.parentPath(base, path);
      String name = query.path("name").asText();
      if (boards.queryId(parentPath, name).isEmpty()) {
        add(create, MetadataKind.QUERY.key(), 1);
      } else if (!query.path("isFolder").asBoolean(false)
          && run.onConflict("query " + path, name, n -> boards.queryId(parentPath, n).isPresent()).isPresent()) {
        add(create, MetadataKind.QUERY.key(), 1);
      }
    }
  }

  /** A team the target holds is skipped or renamed with its settings, boards and dashboards. */
  private void teams(SnapshotReader snapshot, ProjectRef target, RestoreRun run, Map<String, Integer> create) {
    if (snapshot.entries(MetadataKind.TEAM).isEmpty()) {
      return;
    }
    Map<String, JsonNode> existing = new TeamRestore(client, organization, credential).existingTeams(target);
    for (String sourceId : snapshot.entries(MetadataKind.TEAM).keySet()) {
      String name = TeamRestore.targetName(snapshot, AzureDevOpsRestore.read(snapshot, MetadataKind.TEAM, sourceId),
          target);
      if (existing.containsKey(name) && run.onConflict("team " + name + " (its settings, boards and dashboards)",
          name, existing::containsKey).isEmpty()) {
        continue;
      }
      add(create, MetadataKind.TEAM.key(), 1);
      if (snapshot.entries(MetadataKind.TEAM_SETTINGS).containsKey(sourceId)) {
        add(create, MetadataKind.TEAM_SETTINGS.key(), 1);
      }
      for (MetadataKind kind : List.of(MetadataKind.BOARD, MetadataKind.DASHBOARD)) {
        add(create, kind.key(), (int) snapshot.entries(kind).keySet().stream()
            .filter(id -> id.startsWith(sourceId + "/")).count());
      }
    }
  }

  private void testPlans(SnapshotReader snapshot, ProjectRef target, RestoreRun run, Map<String, Integer> create) {
    if (snapshot.entries(MetadataKind.TEST_PLAN).isEmpty()) {
      return;
    }
    Set<String> existing = new TestPlanRestore(client, organization, credential).existingNames(target);
    for (String planId : snapshot.entries(MetadataKind.TEST_PLAN).keySet()) {
      String name = AzureDevOpsRestore.read(snapshot, MetadataKind.TEST_PLAN, planId).path("name").asText();
      if (named(run, create, MetadataKind.TEST_PLAN.key(), "test plan", name, existing)) {
        add(create, MetadataKind.TEST_SUITE.key(), (int) snapshot.entries(MetadataKind.TEST_SUITE).keySet().stream()
            .filter(id -> id.startsWith(planId + "/")).count() - 1); // less the root suite, which comes with the plan
      }
    }
  }

  /** Whether {@code name} of {@code kind} would be made (under its own name or another). */
  private static boolean named(RestoreRun run, Map<String, Integer> create, String kind, String what, String name,
      Set<String> existing) {
    if (existing.contains(name) && run.onConflict(what + " " + name, name, existing::contains).isEmpty()) {
      return false;
    }
    add(create, kind, 1);
    return true;
  }

  private static void add(Map<String, Integer> create, String kind, int count) {
    if (count > 0) {
      create.merge(kind, count, Integer::sum);
    }
  }
}
