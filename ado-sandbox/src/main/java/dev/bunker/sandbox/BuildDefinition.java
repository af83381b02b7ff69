package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
    ObjectNode process = node.putObject("process");
    process.put("yamlFilename", yamlFilename);
    process.put("type", 2);
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
    node.putObject("queue").put("id", 9).put("name", "Azure Pipelines").putObject("pool").put("id", 9)
        .put("name", "Azure Pipelines").put("isHosted", true);
    node.put("jobAuthorizationScope", "projectCollection");
    node.put("jobTimeoutInMinutes", 60);
    return node;
  }
}
