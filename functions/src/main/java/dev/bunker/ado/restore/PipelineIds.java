package dev.bunker.ado.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Repository;
import dev.bunker.metadata.ProjectRef;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ids a pipeline restore maps from the source project to the target: the project, agent
 * queues, variable groups, task groups, service connections, repositories and build definitions,
 * learnt as the restore finds or makes each; and the definitions' references rewritten with them.
 */
final class PipelineIds {
  private final String sourceProjectId;
  /** Source id to target id; a UUID is mapped wherever it appears as a whole value. */
  private final Map<String, String> uuids = new HashMap<>();
  private final Map<Integer, Integer> queues = new HashMap<>();
  private final Map<Integer, Integer> variableGroups = new HashMap<>();
  private final Map<String, String> buildDefinitions = new HashMap<>();
  private final Map<String, Repository> repositories = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  PipelineIds(String sourceProjectId, ProjectRef target, List<Repository> targetRepositories) {
    this.sourceProjectId = sourceProjectId;
    uuid(sourceProjectId, target.id());
    targetRepositories.forEach(r -> repositories.put(r.name(), r));
  }

  /** A UUID (task group, service connection, repository) the target knows as {@code target}. */
  void uuid(String source, String target) {
    uuids.put(source.toLowerCase(Locale.ROOT), target);
  }

  void queue(int source, int target) {
    queues.put(source, target);
  }

  void variableGroup(int source, int target) {
    variableGroups.put(source, target);
  }

  void buildDefinition(String source, String target) {
    buildDefinitions.put(source, target);
  }

  /** The target's repository of that name, or null. */
  Repository repository(String name) {
    return repositories.get(name);
  }

  /** The target's build definition id of each source build definition id found or made so far. */
  Map<String, String> buildDefinitionIds() {
    return Map.copyOf(buildDefinitions);
  }

  void mapArtifact(ObjectNode artifact, ProjectRef target, String what, Set<String> notes) {
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

  void mapQueue(ObjectNode holder, String field, String what, Set<String> notes) {
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

  void mapVariableGroups(ArrayNode groups, String what, Set<String> notes) {
    for (int i = groups.size() - 1; i >= 0; i--) {
      JsonNode mapped = mapVariableGroup(groups.get(i), what, notes);
      if (mapped.isNull()) {
        groups.remove(i);
      } else {
        groups.set(i, mapped);
      }
    }
  }

  JsonNode mapVariableGroup(JsonNode id, String what, Set<String> notes) {
    Integer mapped = variableGroups.get(id.asInt());
    if (mapped == null) {
      notes.add(what + " uses variable group " + id.asInt() + ", which is not in the snapshot: it was left out");
      return AdoJson.JSON.nullNode();
    }
    return IntNode.valueOf(mapped);
  }

  /** A copy of {@code node} with every mapped UUID replaced by its target id. */
  JsonNode mapped(JsonNode node) {
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
}
