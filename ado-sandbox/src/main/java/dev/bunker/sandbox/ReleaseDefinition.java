package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A classic release definition of a sandbox project: stages (environments) with agent jobs that
 * run task groups on a queue, variables (secret ones answered as null), variable groups and build
 * artifacts. Every change saves a revision, readable later as Azure DevOps keeps them.
 */
public final class ReleaseDefinition {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Pipelines pipelines;
  private final int id;
  private final String name;
  private final Instant created;
  /** What the definition says, secret values included. */
  private final ObjectNode content;
  /** The answer of every saved revision, secret values left out. */
  private final List<ObjectNode> revisions = new CopyOnWriteArrayList<>();

  ReleaseDefinition(Pipelines pipelines, int id, String name, Instant created, ObjectNode content) {
    this.pipelines = pipelines;
    this.id = id;
    this.name = name;
    this.created = created;
    this.content = content;
    content.put("path", content.path("path").asText("\\"));
    content.put("description", content.path("description").asText(""));
    content.put("releaseNameFormat", content.path("releaseNameFormat").asText("Release-$(rev:r)"));
    for (String array : List.of("variableGroups", "environments", "artifacts", "triggers", "tags")) {
      content.withArray(array);
    }
    content.withObject("variables");
    save();
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int revision() {
    return revisions.size();
  }

  public synchronized ReleaseDefinition description(String text) {
    content.put("description", text);
    return save();
  }

  public synchronized ReleaseDefinition variable(String variableName, String value) {
    content.withObject("variables").putObject(variableName).put("value", value);
    return save();
  }

  /** A secret variable: stored, but never answered. */
  public synchronized ReleaseDefinition secretVariable(String variableName, String value) {
    content.withObject("variables").putObject(variableName).put("value", value).put("isSecret", true);
    return save();
  }

  public synchronized ReleaseDefinition variableGroup(VariableGroup group) {
    content.withArray("variableGroups").add(group.id());
    return save();
  }

  /** Deploys what build definition {@code build} of this project produces. */
  public synchronized ReleaseDefinition buildArtifact(BuildDefinition build) {
    Project project = pipelines.project();
    ObjectNode artifact = content.withArray("artifacts").addObject();
    artifact.put("sourceId", project.id() + ":" + build.id());
    artifact.put("type", "Build");
    artifact.put("alias", "_" + build.name());
    artifact.put("isPrimary", content.withArray("artifacts").size() == 1);
    ObjectNode reference = artifact.putObject("definitionReference");
    reference.putObject("definition").put("id", Integer.toString(build.id())).put("name", build.name());
    reference.putObject("project").put("id", project.id().toString()).put("name", project.name());
    reference.putObject("defaultVersionType").put("id", "latestType").put("name", "Latest");
    return save();
  }

  /** Deploys the files of {@code repository}'s default branch. */
  public synchronized ReleaseDefinition gitArtifact(HostedRepository repository) {
    Project project = pipelines.project();
    ObjectNode artifact = content.withArray("artifacts").addObject();
    artifact.put("sourceId", project.id() + ":" + repository.id());
    artifact.put("type", "Git");
    artifact.put("alias", "_" + repository.name());
    artifact.put("isPrimary", content.withArray("artifacts").size() == 1);
    ObjectNode reference = artifact.putObject("definitionReference");
    reference.putObject("definition").put("id", repository.id().toString()).put("name", repository.name());
    reference.putObject("project").put("id", project.id().toString()).put("name", project.name());
    reference.putObject("branches").put("id", "main").put("name", "main");
    return save();
  }

  /**
   * A stage with one agent job on {@code queue} running {@code taskGroups}, and a secret variable
   * of its own when {@code secretName} is not null.
   */
  public synchronized ReleaseDefinition stage(String stageName, Pipelines.AgentQueue queue, String secretName,
      String secretValue, Pipelines.TaskGroup... taskGroups) {
    ArrayNode environments = content.withArray("environments");
    ObjectNode stage = environments.addObject();
    stage.put("id", environments.size());
    stage.put("name", stageName);
    stage.put("rank", environments.size());
    // people a definition names are users of its organization
    stage.set("owner", Identities.ref(pipelines.project().organization().member("Kim Lead"), "Kim Lead"));
    ObjectNode variables = stage.putObject("variables");
    if (secretName != null) {
      variables.putObject(secretName).put("value", secretValue).put("isSecret", true);
    }
    stage.putArray("variableGroups");
    stage.putObject("preDeployApprovals").putArray("approvals").addObject().put("rank", 1)
        .put("isAutomated", true).put("isNotificationOn", false).put("id", 0);
    stage.putObject("postDeployApprovals").putArray("approvals").addObject().put("rank", 1)
        .put("isAutomated", true).put("isNotificationOn", false).put("id", 0);
    ObjectNode phase = stage.putArray("deployPhases").addObject();
    phase.put("rank", 1);
    phase.put("phaseType", "agentBasedDeployment");
    phase.put("name", "Agent job");
    phase.putObject("deploymentInput").put("queueId", queue.id()).put("skipArtifactsDownload", false)
        .put("timeoutInMinutes", 0);
    ArrayNode tasks = phase.putArray("workflowTasks");
    for (Pipelines.TaskGroup group : taskGroups) {
      tasks.addObject().put("taskId", group.id().toString()).put("version", "1.*").put("name", group.name())
          .put("enabled", true).put("definitionType", "metaTask").putObject("inputs");
    }
    stage.putArray("conditions").addObject().put("name", "ReleaseStarted").put("conditionType", "event")
        .put("value", "");
    stage.putObject("retentionPolicy").put("daysToKeep", 30).put("releasesToKeep", 3).put("retainBuild", true);
    return save();
  }

  /** Makes {@code approver} approve every deployment to stage {@code stageName} before it starts. */
  public synchronized ReleaseDefinition approver(String stageName, String approver) {
    for (JsonNode stage : content.withArray("environments")) {
      if (stage.path("name").asText().equals(stageName)) {
        ObjectNode approval = ((ObjectNode) stage).putObject("preDeployApprovals").putArray("approvals").addObject();
        approval.put("rank", 1).put("isAutomated", false).put("isNotificationOn", true).put("id", 0);
        approval.set("approver", Identities.ref(pipelines.project().organization().member(approver), approver));
        return save();
      }
    }
    throw new IllegalArgumentException("no stage " + stageName);
  }

  /** The definition as its newest revision answers it. */
  ObjectNode json() {
    return revisions.get(revisions.size() - 1).deepCopy();
  }

  /** Revision {@code number} as it was saved, or null. */
  ObjectNode revision(int number) {
    return number >= 1 && number <= revisions.size() ? revisions.get(number - 1).deepCopy() : null;
  }

  /** What lists show: no stages, variables or artifacts. */
  ObjectNode reference() {
    ObjectNode full = json();
    ObjectNode node = JSON.createObjectNode();
    for (String field : List.of("id", "name", "path", "revision", "description", "releaseNameFormat", "createdBy",
        "createdOn", "modifiedBy", "modifiedOn", "isDeleted", "url", "_links")) {
      if (full.has(field)) {
        node.set(field, full.get(field));
      }
    }
    return node;
  }

  /** The content as stored, secret values included (for restore checks). */
  public synchronized JsonNode content() {
    return content.deepCopy();
  }

  private ReleaseDefinition save() {
    Project project = pipelines.project();
    ObjectNode answer = content.deepCopy();
    int revision = revisions.size() + 1;
    answer.put("id", id);
    answer.put("name", name);
    answer.put("revision", revision);
    answer.put("source", "restApi");
    answer.put("isDeleted", false);
    answer.set("createdBy", Identities.ref(project.organization(), "Avery Tester"));
    answer.put("createdOn", created.toString());
    answer.set("modifiedBy", Identities.ref(project.organization(), "Avery Tester"));
    answer.put("modifiedOn", created.plusSeconds(60L * revision).toString());
    answer.putObject("properties");
    String url = project.organization().url() + "/" + project.id() + "/_apis/Release/definitions/" + id;
    answer.put("url", url);
    answer.putObject("_links").putObject("self").put("href", url);
    hideSecrets(answer.path("variables"));
    answer.path("environments").forEach(e -> hideSecrets(e.path("variables")));
    revisions.add(answer);
    return this;
  }

  private static void hideSecrets(JsonNode variables) {
    variables.forEach(v -> {
      if (v.path("isSecret").asBoolean(false)) {
        ((ObjectNode) v).putNull("value");
      }
    });
  }
}
