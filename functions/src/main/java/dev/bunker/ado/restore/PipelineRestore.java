package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.Exchange;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Repository;
import dev.bunker.ado.client.Service;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Restores a snapshot's pipelines into a project: variable groups, task groups, build definitions
 * and release definitions, in that order so each can refer to what was made before it. Ids that
 * differ in the target are mapped: the project, variable groups, task groups (also inside other
 * task groups), agent queues (by name), repositories (by name), service connections (by name) and
 * the build definitions release artifacts come from. What the target holds under the same name is
 * never overwritten: skipped (and then used for mapping) or made beside it under another name
 * ({@link RestoreRun#onConflict}); what an earlier run of the restore made is used, not made again.
 * What cannot be mapped or set (secret values, service connections,
 * environments, stage owners and approvers the target organization does not know) is said in the
 * notes.
 */
final class PipelineRestore {

  private static final UnaryOperator<String> PREVIEW_1 = ApiVersions.previewBefore7(1);
  private static final UnaryOperator<String> VARIABLE_GROUPS =
      v -> v.equals("6.0") ? "6.0-preview.2" : PREVIEW_1.apply(v);
  private static final List<String> SERVER_FIELDS = List.of("id", "url", "uri", "revision", "createdDate",
      "_links", "authoredBy", "project", "latestBuild", "latestCompletedBuild", "metrics");

  private final Exchange exchange;
  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final OrganizationUrl releaseManagement;
  private final Credential credential;

  /** What this restore learnt of the target's ids; set by {@link #restore}. */
  private PipelineIds idMap;

  PipelineRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.exchange = client.exchange();
    this.organization = organization;
    this.releaseManagement = organization.at(Service.RELEASES);
    this.credential = credential;
  }

  void restore(SnapshotReader snapshot, ProjectRef target, TargetIdentities people, RestoreRun run) {
    Set<String> notes = run.notes;
    idMap = new PipelineIds(snapshot.snapshot().projectId(), target,
        client.repositories(organization, credential, target.id()));
    mapQueues(snapshot, target, notes);
    mapServiceConnections(snapshot, target, notes);
    variableGroups(snapshot, target, run);
    taskGroups(snapshot, target, run);
    buildDefinitions(snapshot, target, run);
    releaseDefinitions(snapshot, target, new StagePeople(people, run.identities,
        () -> client.connect(organization, credential).userId()), run);
    if (!snapshot.entries(MetadataKind.ENVIRONMENT).isEmpty()) {
      notes.add("environments (" + snapshot.entries(MetadataKind.ENVIRONMENT).size() + ") are in the backup but not "
          + "restored: YAML pipelines create them on their first deployment; add their resources and checks again");
    }
  }

  /**
   * The target's build definition id of each source build definition id, once {@link #restore} ran:
   * the one it created or the one of the same name it found (for branch policies that name them).
   */
  Map<String, String> buildDefinitionIds() {
    return idMap.buildDefinitionIds();
  }

  /** Queues are matched by name: their ids differ between projects even for the same pool. */
  private void mapQueues(SnapshotReader snapshot, ProjectRef target, Set<String> notes) {
    Map<String, Integer> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    // Queues_Get Agent Queues is not paged (no continuationToken)
    exchange.get(organization, credential, encode(target.id()) + "/_apis/distributedtask/queues", PREVIEW_1).body()
        .path("value").forEach(q -> byName.put(q.path("name").asText(), q.path("id").asInt()));
    for (String id : snapshot.entries(MetadataKind.AGENT_QUEUE).keySet()) {
      JsonNode queue = AzureDevOpsRestore.read(snapshot, MetadataKind.AGENT_QUEUE, id);
      Integer match = byName.get(queue.path("name").asText());
      if (match != null) {
        idMap.queue(queue.path("id").asInt(), match);
      } else {
        notes.add("agent queue " + queue.path("name").asText() + " (pool " + queue.path("pool").path("name").asText()
            + ") does not exist in the target project: definitions that use it were restored without a queue");
      }
    }
  }

  /** Service connections are never restored (their credentials are not in a backup); one of the same name is used. */
  private void mapServiceConnections(SnapshotReader snapshot, ProjectRef target, Set<String> notes) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    // Endpoints_Get Service Endpoints is not paged (no continuationToken)
    exchange.get(organization, credential, encode(target.id()) + "/_apis/serviceendpoint/endpoints",
        v -> v.startsWith("7.") ? v : v.equals("6.0") ? "6.0-preview.4" : v + "-preview.2").body().path("value")
        .forEach(e -> byName.put(e.path("name").asText(), e.path("id").asText()));
    for (String id : snapshot.entries(MetadataKind.SERVICE_CONNECTION).keySet()) {
      JsonNode connection = AzureDevOpsRestore.read(snapshot, MetadataKind.SERVICE_CONNECTION, id);
      String name = connection.path("name").asText();
      String match = byName.get(name);
      if (match != null) {
        idMap.uuid(id, match);
      } else {
        notes.add("service connection " + name + " (" + connection.path("type").asText() + ") is not restored: "
            + "create it with its credentials, then point the definitions that use it at it");
      }
    }
  }

  private void variableGroups(SnapshotReader snapshot, ProjectRef target, RestoreRun run) {
    Set<String> notes = run.notes;
    Map<String, Integer> existing = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    existingNames(target, MetadataKind.VARIABLE_GROUP)
        .forEach(g -> existing.put(g.path("name").asText(), g.path("id").asInt()));
    String kind = MetadataKind.VARIABLE_GROUP.key();
    for (String id : sortedIds(snapshot.entries(MetadataKind.VARIABLE_GROUP).keySet())) {
      Optional<String> made = run.made(kind, id);
      if (made.isPresent()) {
        idMap.variableGroup(Integer.parseInt(id), Integer.parseInt(made.get()));
        continue;
      }
      JsonNode group = AzureDevOpsRestore.read(snapshot, MetadataKind.VARIABLE_GROUP, id);
      String sourceName = group.path("name").asText();
      Optional<String> other = Optional.of(sourceName);
      if (existing.containsKey(sourceName)) {
        other = run.onConflict("variable group " + sourceName, sourceName, existing::containsKey);
        if (other.isEmpty()) {
          // definitions restored with it use the target's group of that name
          idMap.variableGroup(Integer.parseInt(id), existing.get(sourceName));
          continue;
        }
      }
      String name = other.get();
      ObjectNode body = AdoJson.JSON.createObjectNode();
      body.put("name", name);
      body.put("description", group.path("description").asText(""));
      body.put("type", group.path("type").asText("Vsts"));
      if (group.has("providerData")) {
        body.set("providerData", idMap.mapped(group.path("providerData")));
      }
      ObjectNode variables = body.putObject("variables");
      group.path("variables").properties().forEach(v -> {
        ObjectNode variable = variables.putObject(v.getKey());
        if (v.getValue().path("isSecret").asBoolean(false)) {
          variable.put("value", "").put("isSecret", true);
          notes.add("secret variable " + v.getKey() + " of variable group " + name
              + " was created empty (Azure DevOps never returns secret values): it needs a value");
        } else {
          variable.set("value", v.getValue().path("value"));
        }
      });
      ObjectNode reference = body.putArray("variableGroupProjectReferences").addObject();
      reference.putObject("projectReference").put("id", target.id()).put("name", target.name());
      reference.put("name", name);
      reference.put("description", group.path("description").asText(""));
      boolean projectLevel = exchange.apiVersion(organization).startsWith("5.");
      int madeId = exchange.post(organization, credential,
          (projectLevel ? encode(target.id()) + "/" : "") + "_apis/distributedtask/variablegroups", body,
          VARIABLE_GROUPS).body()
          .path("id").asInt();
      idMap.variableGroup(Integer.parseInt(id), madeId);
      run.record(kind, id, Integer.toString(madeId));
    }
  }

  /**
   * Whether the snapshot's {@code id} of {@code kind} is restored: of a task group only the newest
   * major version is (an older one's id carries its version after {@code @}).
   */
  static boolean isRestored(MetadataKind kind, String id) {
    return kind != MetadataKind.TASK_GROUP || !id.contains("@");
  }

  /** Task groups that use other task groups come after them. */
  private void taskGroups(SnapshotReader snapshot, ProjectRef target, RestoreRun run) {
    Set<String> notes = run.notes;
    Map<String, String> existing = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    existingNames(target, MetadataKind.TASK_GROUP)
        .forEach(t -> existing.put(t.path("name").asText(), t.path("id").asText()));
    String kind = MetadataKind.TASK_GROUP.key();
    Map<String, JsonNode> pending = new TreeMap<>();
    for (String id : snapshot.entries(MetadataKind.TASK_GROUP).keySet()) {
      if (!isRestored(MetadataKind.TASK_GROUP, id)) {
        notes.add(
            "task group " + id + " is an older major version: only the newest version of a task group is restored");
      } else {
        pending.put(id.toLowerCase(Locale.ROOT), AzureDevOpsRestore.read(snapshot, MetadataKind.TASK_GROUP, id));
      }
    }
    while (!pending.isEmpty()) {
      String next = pending.keySet().stream().filter(id -> usedTaskGroups(pending.get(id)).stream()
          .noneMatch(pending::containsKey)).findFirst().orElse(pending.keySet().iterator().next());
      JsonNode group = pending.remove(next);
      Optional<String> made = run.made(kind, next);
      if (made.isPresent()) {
        idMap.uuid(next, made.get());
        continue;
      }
      String name = group.path("name").asText();
      String newName = null;
      if (existing.containsKey(name)) {
        Optional<String> other = run.onConflict("task group " + name, name, existing::containsKey);
        if (other.isEmpty()) {
          // definitions restored with it use the target's group of that name
          idMap.uuid(next, existing.get(name));
          continue;
        }
        newName = other.get();
      }
      ObjectNode body = AdoJson.JSON.createObjectNode();
      for (String field : List.of("name", "friendlyName", "category", "description", "instanceNameFormat", "iconUrl",
          "author", "inputs", "runsOn", "tasks", "version")) {
        if (group.has(field)) {
          body.set(field, idMap.mapped(group.get(field)));
        }
      }
      if (newName != null) {
        body.put("name", newName);
      }
      String madeId = exchange.post(organization, credential,
          encode(target.id()) + "/_apis/distributedtask/taskgroups", body, PREVIEW_1).body().path("id").asText();
      idMap.uuid(next, madeId);
      run.record(kind, next, madeId);
    }
  }

  private static List<String> usedTaskGroups(JsonNode group) {
    List<String> used = new ArrayList<>();
    for (JsonNode step : group.path("tasks")) {
      if ("metaTask".equals(step.path("task").path("definitionType").asText())) {
        used.add(step.path("task").path("id").asText().toLowerCase(Locale.ROOT));
      }
    }
    return used;
  }

  private void buildDefinitions(SnapshotReader snapshot, ProjectRef target, RestoreRun run) {
    Set<String> notes = run.notes;
    String base = encode(target.id()) + "/_apis/build/definitions";
    Map<String, String> existing = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    existingNames(target, MetadataKind.BUILD_DEFINITION)
        .forEach(d -> existing.put(d.path("name").asText(), d.path("id").asText()));
    String kind = MetadataKind.BUILD_DEFINITION.key();
    for (String id : sortedIds(snapshot.entries(MetadataKind.BUILD_DEFINITION).keySet())) {
      Optional<String> made = run.made(kind, id);
      if (made.isPresent()) {
        idMap.buildDefinition(id, made.get());
        continue;
      }
      ObjectNode definition = (ObjectNode) AzureDevOpsRestore.read(snapshot, MetadataKind.BUILD_DEFINITION, id);
      String name = definition.path("name").asText();
      if (existing.containsKey(name)) {
        Optional<String> other = run.onConflict("build definition " + name, name, existing::containsKey);
        if (other.isEmpty()) {
          // branch policies restored with it use the target's definition of that name
          idMap.buildDefinition(id, existing.get(name));
          continue;
        }
        definition.put("name", other.get());
      }
      definition.remove(SERVER_FIELDS);
      JsonNode repository = definition.path("repository");
      if ("TfsGit".equals(repository.path("type").asText())) {
        Repository match = idMap.repository(repository.path("name").asText());
        if (match == null) {
          notes.add("build definition " + name + " was not restored: its repository "
              + repository.path("name").asText() + " does not exist in the target project (restore it first)");
          continue;
        }
        idMap.uuid(repository.path("id").asText(), match.id());
        ObjectNode restored = ((ObjectNode) repository).put("id", match.id());
        if (match.remoteUrl() != null) {
          restored.put("url", match.remoteUrl().toString());
        } else {
          restored.remove("url"); // not the source's: the target lists none Bunker can use
        }
      }
      definition.path("variables").properties().forEach(v -> {
        if (v.getValue().path("isSecret").asBoolean(false)) {
          notes.add("secret variable " + v.getKey() + " of build definition " + name
              + " was restored without its value (Azure DevOps never returns secret values): set it again");
        }
      });
      idMap.mapQueue(definition, "queue", "build definition " + name, notes);
      for (JsonNode phase : definition.path("process").path("phases")) {
        idMap.mapQueue((ObjectNode) phase.path("target"), "queue", "build definition " + name, notes);
      }
      for (JsonNode group : definition.path("variableGroups")) {
        ((ObjectNode) group).set("id", idMap.mapVariableGroup(group.path("id"), "build definition " + name, notes));
      }
      String madeId =
          exchange.post(organization, credential, base, idMap.mapped(definition)).body().path("id").asText();
      idMap.buildDefinition(id, madeId);
      run.record(kind, id, madeId);
    }
  }

  private void releaseDefinitions(SnapshotReader snapshot, ProjectRef target, StagePeople people, RestoreRun run) {
    Set<String> notes = run.notes;
    String base = encode(target.id()) + "/_apis/release/definitions";
    Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    if (!snapshot.entries(MetadataKind.RELEASE_DEFINITION).isEmpty()) {
      existingNames(target, MetadataKind.RELEASE_DEFINITION).forEach(d -> existing.add(d.path("name").asText()));
    }
    String kind = MetadataKind.RELEASE_DEFINITION.key();
    for (String id : sortedIds(snapshot.entries(MetadataKind.RELEASE_DEFINITION).keySet())) {
      if (run.made(kind, id).isPresent()) {
        continue;
      }
      ObjectNode definition = (ObjectNode) AzureDevOpsRestore.read(snapshot, MetadataKind.RELEASE_DEFINITION, id);
      String name = definition.path("name").asText();
      if (existing.contains(name)) {
        Optional<String> other = run.onConflict("release definition " + name, name, existing::contains);
        if (other.isEmpty()) {
          continue;
        }
        definition.put("name", other.get());
      }
      definition.remove(List.of("id", "url", "revision", "createdBy", "createdOn", "modifiedBy", "modifiedOn",
          "_links", "isDeleted", "lastRelease"));
      String what = "release definition " + name;
      secretNotes(definition.path("variables"), what, notes);
      idMap.mapVariableGroups(definition.withArray("variableGroups"), what, notes);
      for (JsonNode stage : definition.path("environments")) {
        String stageName = what + ", stage " + stage.path("name").asText();
        secretNotes(stage.path("variables"), stageName, notes);
        people.map((ObjectNode) stage, stageName, notes);
        idMap.mapVariableGroups(((ObjectNode) stage).withArray("variableGroups"), stageName, notes);
        for (JsonNode phase : stage.path("deployPhases")) {
          idMap.mapQueue((ObjectNode) phase.path("deploymentInput"), "queueId", stageName, notes);
        }
      }
      for (JsonNode artifact : definition.path("artifacts")) {
        idMap.mapArtifact((ObjectNode) artifact, target, what, notes);
      }
      run.record(kind, id, exchange.post(releaseManagement, credential, base, idMap.mapped(definition)).body()
          .path("id").asText());
    }
  }

  private static void secretNotes(JsonNode variables, String what, Set<String> notes) {
    variables.properties().forEach(v -> {
      if (v.getValue().path("isSecret").asBoolean(false)) {
        notes.add("secret variable " + v.getKey() + " of " + what
            + " was restored without its value (Azure DevOps never returns secret values): it needs a value");
      }
    });
  }

  /**
   * The target's variable groups, task groups, build or release definitions (each with its name
   * and id), for what the snapshot holds under the same name.
   */
  List<JsonNode> existingNames(ProjectRef target, MetadataKind kind) {
    String project = encode(target.id());
    return switch (kind) {
      case VARIABLE_GROUP -> list(organization, project + "/_apis/distributedtask/variablegroups", VARIABLE_GROUPS);
      case TASK_GROUP -> list(organization, project + "/_apis/distributedtask/taskgroups", PREVIEW_1);
      case BUILD_DEFINITION -> list(organization, project + "/_apis/build/definitions", UnaryOperator.identity());
      case RELEASE_DEFINITION -> list(releaseManagement, project + "/_apis/release/definitions",
          UnaryOperator.identity());
      default -> throw new IllegalArgumentException("no names listed for " + kind);
    };
  }

  private List<JsonNode> list(OrganizationUrl at, String path, UnaryOperator<String> version) {
    List<JsonNode> values = new ArrayList<>();
    new Calls(exchange, at, credential, null).pages(path, version,
        page -> page.forEach(values::add));
    return values;
  }

  private static List<String> sortedIds(Set<String> ids) {
    return ids.stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList();
  }
}
