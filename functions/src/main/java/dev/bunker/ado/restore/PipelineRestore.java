package dev.bunker.ado.restore;

import dev.bunker.ado.client.ApiVersions;

import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Calls;

import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.Exchange;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Repository;
import dev.bunker.ado.client.Service;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
  private static final UnaryOperator<String> VARIABLE_GROUPS = v -> v.equals("6.0") ? "6.0-preview.2" : PREVIEW_1.apply(v);
  private static final List<String> SERVER_FIELDS = List.of("id", "url", "uri", "revision", "createdDate",
      "_links", "authoredBy", "project", "latestBuild", "latestCompletedBuild", "metrics");

  private final Exchange exchange;
  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final OrganizationUrl releaseManagement;
  private final Credential credential;

  private String sourceProjectId;
  /** Source id to target id; a UUID is mapped wherever it appears as a whole value. */
  private final Map<String, String> uuids = new HashMap<>();
  private final Map<Integer, Integer> queues = new HashMap<>();
  private final Map<Integer, Integer> variableGroups = new HashMap<>();
  private final Map<String, String> buildDefinitions = new HashMap<>();
  private final Map<String, Repository> repositories = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  PipelineRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.exchange = client.exchange();
    this.organization = organization;
    this.releaseManagement = organization.at(Service.RELEASES);
    this.credential = credential;
  }

  void restore(SnapshotReader snapshot, ProjectRef target, TargetIdentities people, RestoreRun run) {
    Set<String> notes = run.notes;
    sourceProjectId = snapshot.snapshot().projectId();
    uuids.put(sourceProjectId.toLowerCase(Locale.ROOT), target.id());
    client.repositories(organization, credential, target.id()).forEach(r -> repositories.put(r.name(), r));
    mapQueues(snapshot, target, notes);
    mapServiceConnections(snapshot, target, notes);
    variableGroups(snapshot, target, run);
    taskGroups(snapshot, target, run);
    buildDefinitions(snapshot, target, run);
    releaseDefinitions(snapshot, target, new StagePeople(people, run.identities), run);
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
    return Map.copyOf(buildDefinitions);
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
        queues.put(queue.path("id").asInt(), match);
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
        uuids.put(id.toLowerCase(Locale.ROOT), match);
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
        variableGroups.put(Integer.parseInt(id), Integer.parseInt(made.get()));
        continue;
      }
      JsonNode group = AzureDevOpsRestore.read(snapshot, MetadataKind.VARIABLE_GROUP, id);
      String sourceName = group.path("name").asText();
      Optional<String> other = Optional.of(sourceName);
      if (existing.containsKey(sourceName)) {
        other = run.onConflict("variable group " + sourceName, sourceName, existing::containsKey);
        if (other.isEmpty()) {
          // definitions restored with it use the target's group of that name
          variableGroups.put(Integer.parseInt(id), existing.get(sourceName));
          continue;
        }
      }
      String name = other.get();
      ObjectNode body = AdoJson.JSON.createObjectNode();
      body.put("name", name);
      body.put("description", group.path("description").asText(""));
      body.put("type", group.path("type").asText("Vsts"));
      if (group.has("providerData")) {
        body.set("providerData", mapped(group.path("providerData")));
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
          (projectLevel ? encode(target.id()) + "/" : "") + "_apis/distributedtask/variablegroups", body, VARIABLE_GROUPS).body()
          .path("id").asInt();
      variableGroups.put(Integer.parseInt(id), madeId);
      run.record(kind, id, Integer.toString(madeId));
    }
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
      if (id.contains("@")) {
        notes.add("task group " + id + " is an older major version: only the newest version of a task group is restored");
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
        uuids.put(next, made.get());
        continue;
      }
      String name = group.path("name").asText();
      String newName = null;
      if (existing.containsKey(name)) {
        Optional<String> other = run.onConflict("task group " + name, name, existing::containsKey);
        if (other.isEmpty()) {
          // definitions restored with it use the target's group of that name
          uuids.put(next, existing.get(name));
          continue;
        }
        newName = other.get();
      }
      ObjectNode body = AdoJson.JSON.createObjectNode();
      for (String field : List.of("name", "friendlyName", "category", "description", "instanceNameFormat", "iconUrl",
          "author", "inputs", "runsOn", "tasks", "version")) {
        if (group.has(field)) {
          body.set(field, mapped(group.get(field)));
        }
      }
      if (newName != null) {
        body.put("name", newName);
      }
      String madeId = exchange.post(organization, credential,
          encode(target.id()) + "/_apis/distributedtask/taskgroups", body, PREVIEW_1).body().path("id").asText();
      uuids.put(next, madeId);
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
        buildDefinitions.put(id, made.get());
        continue;
      }
      ObjectNode definition = (ObjectNode) AzureDevOpsRestore.read(snapshot, MetadataKind.BUILD_DEFINITION, id);
      String name = definition.path("name").asText();
      if (existing.containsKey(name)) {
        Optional<String> other = run.onConflict("build definition " + name, name, existing::containsKey);
        if (other.isEmpty()) {
          // branch policies restored with it use the target's definition of that name
          buildDefinitions.put(id, existing.get(name));
          continue;
        }
        definition.put("name", other.get());
      }
      definition.remove(SERVER_FIELDS);
      JsonNode repository = definition.path("repository");
      if ("TfsGit".equals(repository.path("type").asText())) {
        Repository match = repositories.get(repository.path("name").asText());
        if (match == null) {
          notes.add("build definition " + name + " was not restored: its repository "
              + repository.path("name").asText() + " does not exist in the target project (restore it first)");
          continue;
        }
        uuids.put(repository.path("id").asText().toLowerCase(Locale.ROOT), match.id());
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
      mapQueue(definition, "queue", "build definition " + name, notes);
      for (JsonNode phase : definition.path("process").path("phases")) {
        mapQueue((ObjectNode) phase.path("target"), "queue", "build definition " + name, notes);
      }
      for (JsonNode group : definition.path("variableGroups")) {
        ((ObjectNode) group).set("id", mapVariableGroup(group.path("id"), "build definition " + name, notes));
      }
      String madeId = exchange.post(organization, credential, base, mapped(definition)).body().path("id").asText();
      buildDefinitions.put(id, madeId);
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
      mapVariableGroups(definition.withArray("variableGroups"), what, notes);
      for (JsonNode stage : definition.path("environments")) {
        String stageName = what + ", stage " + stage.path("name").asText();
        secretNotes(stage.path("variables"), stageName, notes);
        people.map((ObjectNode) stage, stageName, notes);
        mapVariableGroups(((ObjectNode) stage).withArray("variableGroups"), stageName, notes);
        for (JsonNode phase : stage.path("deployPhases")) {
          mapQueue((ObjectNode) phase.path("deploymentInput"), "queueId", stageName, notes);
        }
      }
      for (JsonNode artifact : definition.path("artifacts")) {
        mapArtifact((ObjectNode) artifact, target, what, notes);
      }
      run.record(kind, id, exchange.post(releaseManagement, credential, base, mapped(definition)).body()
          .path("id").asText());
    }
  }

  /**
   * Stage owners and approvers, who are people of the source organization: the same person in the
   * target when it knows them, else the restoring account (an approval stays an approval), reported.
   */
  private final class StagePeople {
    private final TargetIdentities people;
    private final Set<String> identities;
    private String restoringAccount;

    StagePeople(TargetIdentities people, Set<String> identities) {
      this.people = people;
      this.identities = identities;
    }

    void map(ObjectNode stage, String what, Set<String> notes) {
      if (TargetIdentities.isPerson(stage.path("owner"))) {
        stage.set("owner", person(stage.path("owner"), what + " (owner)", notes));
      }
      for (String approvals : List.of("preDeployApprovals", "postDeployApprovals")) {
        for (JsonNode approval : stage.path(approvals).path("approvals")) {
          if (TargetIdentities.isPerson(approval.path("approver"))) {
            ((ObjectNode) approval).set("approver", person(approval.path("approver"), what + " (approver)", notes));
          }
        }
      }
    }

    private ObjectNode person(JsonNode source, String role, Set<String> notes) {
      String id = people.id(source).orElse(null);
      if (id == null) {
        identities.add(TargetIdentities.name(source));
        notes.add(role + ": " + TargetIdentities.name(source) + " is not known in the target organization; "
            + "the restoring account took their place");
        if (restoringAccount == null) {
          restoringAccount = client.connect(organization, credential).userId();
        }
        id = restoringAccount;
      }
      return AdoJson.JSON.createObjectNode().put("id", id);
    }
  }

  private void mapArtifact(ObjectNode artifact, ProjectRef target, String what, Set<String> notes) {
    ObjectNode reference = (ObjectNode) artifact.path("definitionReference");
    String type = artifact.path("type").asText();
    JsonNode project = reference.path("project");
    if (!project.path("id").asText().equalsIgnoreCase(sourceProjectId)) {
      return;
    }
    if ("Git".equals(type)) {
      Repository repository = repositories.get(reference.path("definition").path("name").asText());
      if (repository == null) {
        notes.add(what + ": its artifact " + artifact.path("alias").asText() + " comes from repository "
            + reference.path("definition").path("name").asText() + ", which is not in the target project");
      } else {
        uuids.put(reference.path("definition").path("id").asText().toLowerCase(Locale.ROOT), repository.id());
        artifact.put("sourceId", target.id() + ":" + repository.id());
      }
      return;
    }
    if (!"Build".equals(type)) {
      return;
    }
    String source = reference.path("definition").path("id").asText();
    String mapped = buildDefinitions.get(source);
    if (mapped == null) {
      notes.add(what + ": its artifact " + artifact.path("alias").asText() + " comes from build definition "
          + reference.path("definition").path("name").asText() + ", which is not in the target project");
      return;
    }
    ((ObjectNode) reference.path("definition")).put("id", mapped);
    ((ObjectNode) project).put("id", target.id()).put("name", target.name());
    artifact.put("sourceId", target.id() + ":" + mapped);
  }

  private void mapQueue(ObjectNode holder, String field, String what, Set<String> notes) {
    JsonNode value = field.equals("queue") ? holder.path("queue").path("id") : holder.path(field);
    if (value.isMissingNode() || value.asInt() == 0) {
      return;
    }
    Integer mapped = queues.get(value.asInt());
    if (mapped == null) {
      notes.add(what + " was restored without its agent queue " + value.asInt()
          + ": no queue of that name in the target project");
      holder.remove(field);
    } else if (field.equals("queue")) {
      // the pool follows from the queue
      ((ObjectNode) holder.path("queue")).put("id", mapped).remove("pool");
    } else {
      holder.put(field, mapped);
    }
  }

  private void mapVariableGroups(ArrayNode groups, String what, Set<String> notes) {
    for (int i = groups.size() - 1; i >= 0; i--) {
      JsonNode mapped = mapVariableGroup(groups.get(i), what, notes);
      if (mapped.isNull()) {
        groups.remove(i);
      } else {
        groups.set(i, mapped);
      }
    }
  }

  private JsonNode mapVariableGroup(JsonNode id, String what, Set<String> notes) {
    Integer mapped = variableGroups.get(id.asInt());
    if (mapped == null) {
      notes.add(what + " uses variable group " + id.asInt() + ", which is not in the snapshot: it was left out");
      return AdoJson.JSON.nullNode();
    }
    return IntNode.valueOf(mapped);
  }

  private static void secretNotes(JsonNode variables, String what, Set<String> notes) {
    variables.properties().forEach(v -> {
      if (v.getValue().path("isSecret").asBoolean(false)) {
        notes.add("secret variable " + v.getKey() + " of " + what
            + " was restored without its value (Azure DevOps never returns secret values): it needs a value");
      }
    });
  }

  /** A copy of {@code node} with every mapped UUID replaced by its target id. */
  private JsonNode mapped(JsonNode node) {
    return replaceIds(node.deepCopy());
  }

  private JsonNode replaceIds(JsonNode node) {
    if (node.isTextual()) {
      String target = uuids.get(node.asText().toLowerCase(Locale.ROOT));
      return target == null ? node : TextNode.valueOf(target);
    }
    if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> e.setValue(replaceIds(e.getValue())));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, replaceIds(array.get(i)));
      }
    }
    return node;
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
