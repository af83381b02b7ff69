package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A build pipeline definition of a sandbox project: a YAML pipeline by default, with variables
 * (secret ones come back with a null value, as Azure DevOps answers). Each change is a revision.
 */
public final class BuildDefinition {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Project project;
  private final int id;
  private final String name;
  private final Instant created;
  private volatile int revision = 1;
  private volatile String yamlFilename = "azure-pipelines.yml";
  private volatile String path = "\\";
  private final Map<String, String> variables = new LinkedHashMap<>();
  private final Map<String, Boolean> secret = new LinkedHashMap<>();
  private volatile Pipelines.AgentQueue queue;
  private final List<Integer> variableGroups = new CopyOnWriteArrayList<>();
  /** Designer (classic) steps; none for a YAML pipeline. */
  private final ArrayNode steps = JSON.createArrayNode();

  BuildDefinition(Project project, int id, String name, Instant created) {
    this.project = project;
    this.id = id;
    this.name = name;
    this.created = created;
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int revision() {
    return revision;
  }

  /** The folder, e.g. {@code \\ci}. */
  public synchronized BuildDefinition path(String folder) {
    path = folder;
    revision++;
    return this;
  }

  public synchronized BuildDefinition yamlFilename(String file) {
    yamlFilename = file;
    revision++;
    return this;
  }

  public synchronized BuildDefinition variable(String variableName, String value) {
    variables.put(variableName, value);
    secret.put(variableName, false);
    revision++;
    return this;
  }

  /** A secret variable: stored, but never returned. */
  public synchronized BuildDefinition secretVariable(String variableName, String value) {
    variables.put(variableName, value);
    secret.put(variableName, true);
    revision++;
    return this;
  }

  /** Runs on {@code agentQueue} (default: the project's {@code Azure Pipelines} queue). */
  public synchronized BuildDefinition queue(Pipelines.AgentQueue agentQueue) {
    queue = agentQueue;
    revision++;
    return this;
  }

  public synchronized BuildDefinition variableGroup(int groupId) {
    variableGroups.add(groupId);
    revision++;
    return this;
  }

  /** Makes this a designer (classic) pipeline, or adds to its steps: one that runs {@code taskGroup}. */
  public synchronized BuildDefinition step(Pipelines.TaskGroup taskGroup) {
    return step(taskGroup.name(), taskGroup.id().toString(), "metaTask");
  }

  synchronized BuildDefinition step(String displayName, String taskId, String definitionType) {
    ObjectNode step = steps.addObject();
    step.put("displayName", displayName);
    step.put("enabled", true);
    step.putObject("task").put("id", taskId).put("versionSpec", "1.*").put("definitionType", definitionType);
    step.putObject("inputs");
    revision++;
    return this;
  }

  synchronized ObjectNode reference() {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("name", name);
    node.put("path", path);
    node.put("type", "build");
    node.put("queueStatus", "enabled");
    node.put("revision", revision);
    node.put("url", project.organization().url() + "/" + project.id() + "/_apis/build/Definitions/" + id
        + "?revision=" + revision);
    node.put("createdDate", created.toString());
    node.putObject("project").put("id", project.id().toString()).put("name", project.name())
        .put("state", "wellFormed");
    return node;
  }

  synchronized ObjectNode full() {
    ObjectNode node = reference();
    node.set("authoredBy", Identities.ref(project.organization(), "Avery Tester"));
    Pipelines.AgentQueue runsOn = queue != null ? queue : project.pipelines().queue("Azure Pipelines");
    ObjectNode process = node.putObject("process");
    if (steps.isEmpty()) {
      process.put("yamlFilename", yamlFilename);
      process.put("type", 2);
    } else {
      process.put("type", 1);
      ObjectNode phase = process.putArray("phases").addObject();
      phase.put("name", "Agent job 1");
      phase.put("refName", "Job_1");
      phase.set("steps", steps.deepCopy());
      phase.putObject("target").put("type", 1).putObject("queue").put("id", runsOn.id());
    }
    ObjectNode repository = node.putObject("repository");
    repository.put("type", "TfsGit");
    repository.put("name", project.name());
    repository.put("defaultBranch", "refs/heads/main");
    repository.put("clean", "false");
    repository.put("checkoutSubmodules", false);
    node.putArray("triggers").addObject().put("triggerType", "continuousIntegration")
        .put("settingsSourceType", 2).put("batchChanges", false).put("maxConcurrentBuildsPerBranch", 1);
    ObjectNode vars = node.putObject("variables");
    variables.forEach((key, value) -> {
      ObjectNode v = vars.putObject(key);
      if (secret.get(key)) {
        v.putNull("value");
        v.put("isSecret", true);
      } else {
        v.put("value", value);
      }
    });
    node.putObject("queue").put("id", runsOn.id()).put("name", runsOn.name()).putObject("pool")
        .put("id", runsOn.pool().id()).put("name", runsOn.pool().name()).put("isHosted", runsOn.pool().hosted());
    if (!variableGroups.isEmpty()) {
      ArrayNode groups = node.putArray("variableGroups");
      variableGroups.forEach(id -> groups.addObject().put("id", id));
    }
    node.put("jobAuthorizationScope", "projectCollection");
    node.put("jobTimeoutInMinutes", 60);
    return node;
  }
}
