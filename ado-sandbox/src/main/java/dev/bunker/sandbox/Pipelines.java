package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a sandbox project's pipelines run with, besides build definitions and variable groups:
 * release definitions, task groups, environments, service connections and agent queues. Every
 * project has the queues Azure DevOps provisions ({@code Azure Pipelines} and {@code Default});
 * queue and pool ids are unique in the organization, as in Azure DevOps, so a restore into
 * another project has to map them.
 */
public final class Pipelines {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NEXT_ID = new AtomicInteger(100);
  private static final Instant TASK_GROUPS_SINCE = Instant.parse("2024-05-01T08:00:00Z");

  private final Project project;
  private final List<AgentQueue> queues = new CopyOnWriteArrayList<>();
  private final List<TaskGroup> taskGroups = new CopyOnWriteArrayList<>();
  private final List<ReleaseDefinition> releaseDefinitions = new CopyOnWriteArrayList<>();
  private final List<Environment> environments = new CopyOnWriteArrayList<>();
  private final List<ServiceConnection> serviceConnections = new CopyOnWriteArrayList<>();

  Pipelines(Project project) {
    this.project = project;
  }

  Project project() {
    return project;
  }

  /** The agent queue named {@code name}, with a pool of the same name, created on first use. */
  public synchronized AgentQueue queue(String name) {
    return queues().stream().filter(q -> q.name().equalsIgnoreCase(name)).findFirst().orElseGet(() -> {
      AgentQueue created = new AgentQueue(NEXT_ID.incrementAndGet(), name, pool(name));
      queues.add(created);
      return created;
    });
  }

  /** The queues of the project, the provisioned ones first. */
  public synchronized List<AgentQueue> queues() {
    if (queues.isEmpty()) {
      queues.add(new AgentQueue(NEXT_ID.incrementAndGet(), "Azure Pipelines", new Pool(9, "Azure Pipelines", true)));
      queues.add(new AgentQueue(NEXT_ID.incrementAndGet(), "Default", new Pool(1, "Default", false)));
    }
    return List.copyOf(queues);
  }

  /** Pools are the organization's: the same name is the same pool in every project. */
  private Pool pool(String name) {
    return project.organization().projects().stream().flatMap(p -> p.pipelines().queues.stream())
        .map(AgentQueue::pool).filter(p -> p.name().equalsIgnoreCase(name)).findFirst()
        .orElseGet(() -> new Pool(NEXT_ID.incrementAndGet(), name, false));
  }

  /** A new task group with one command-line step. */
  public synchronized TaskGroup taskGroup(String name) {
    TaskGroup created = new TaskGroup(this, UUID.randomUUID(), name, JSON.createArrayNode(), createdOn());
    created.step("Run " + name, "echo " + name);
    taskGroups.add(created);
    return created;
  }

  /** Creates a task group for the REST API. */
  synchronized TaskGroup createTaskGroup(String name, ArrayNode tasks, JsonNode body) {
    TaskGroup created = new TaskGroup(this, UUID.randomUUID(), name, tasks.deepCopy(), createdOn());
    created.settings.setAll(settings(body, "category", "description", "instanceNameFormat", "inputs", "runsOn"));
    taskGroups.add(created);
    return created;
  }

  public List<TaskGroup> taskGroups() {
    return List.copyOf(taskGroups);
  }

  /** A second after the project's previous task group: a task group list pages by creation time. */
  private Instant createdOn() {
    return TASK_GROUPS_SINCE.plusSeconds(taskGroups.size());
  }

  /** A new release definition, saved once (revision 1). */
  public synchronized ReleaseDefinition releaseDefinition(String name) {
    ReleaseDefinition created = new ReleaseDefinition(this, releaseDefinitions.size() + 1, name,
        project.lastUpdateTime(), JSON.createObjectNode());
    releaseDefinitions.add(created);
    return created;
  }

  synchronized ReleaseDefinition createReleaseDefinition(String name, ObjectNode content) {
    ReleaseDefinition created = new ReleaseDefinition(this, releaseDefinitions.size() + 1, name,
        project.lastUpdateTime(), content);
    releaseDefinitions.add(created);
    return created;
  }

  public List<ReleaseDefinition> releaseDefinitions() {
    return List.copyOf(releaseDefinitions);
  }

  /** A new environment. */
  public synchronized Environment environment(String name) {
    Environment created = new Environment(this, environments.size() + 1, name);
    environments.add(created);
    return created;
  }

  List<Environment> environments() {
    return List.copyOf(environments);
  }

  /**
   * A new service connection authorized with {@code scheme}; parameters named in {@code secret}
   * are stored but answered as null, as Azure DevOps does.
   */
  public synchronized ServiceConnection serviceConnection(String name, String type, String scheme,
      Map<String, String> parameters, List<String> secret) {
    ServiceConnection created = new ServiceConnection(this, UUID.randomUUID(), name, type, scheme,
        new LinkedHashMap<>(parameters), List.copyOf(secret));
    serviceConnections.add(created);
    return created;
  }

  public List<ServiceConnection> serviceConnections() {
    return List.copyOf(serviceConnections);
  }

  Optional<TaskGroup> findTaskGroup(String id) {
    return taskGroups.stream().filter(t -> t.id().toString().equalsIgnoreCase(id)).findFirst();
  }

  Optional<AgentQueue> findQueue(int id) {
    return queues().stream().filter(q -> q.id() == id).findFirst();
  }

  private static ObjectNode settings(JsonNode body, String... fields) {
    ObjectNode settings = JSON.createObjectNode();
    for (String field : fields) {
      if (body.has(field)) {
        settings.set(field, body.get(field).deepCopy());
      }
    }
    return settings;
  }

  /** An agent pool of the organization. */
  public record Pool(int id, String name, boolean hosted) {

    ObjectNode json(Organization organization) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id);
      node.put("name", name);
      node.put("isHosted", hosted);
      node.put("poolType", "automation");
      node.put("size", hosted ? 0 : 2);
      node.put("autoProvision", !hosted);
      node.put("createdOn", "2024-05-01T08:00:00Z");
      node.set("createdBy", Identities.ref(organization, "Avery Tester"));
      node.put("scope", organization.id().toString());
      return node;
    }
  }

  /** An agent queue: a project's view of a pool. */
  public record AgentQueue(int id, String name, Pool pool) {

    ObjectNode json(Project project) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id);
      node.put("projectId", project.id().toString());
      node.put("name", name);
      node.putObject("pool").put("id", pool.id()).put("name", pool.name()).put("isHosted", pool.hosted())
          .put("poolType", "automation");
      return node;
    }
  }

  /** A task group: steps to reuse in build and release definitions. Each change is a revision. */
  public static final class TaskGroup {
    private final Pipelines pipelines;
    private final UUID id;
    private final String name;
    private final ArrayNode tasks;
    private final ObjectNode settings = JSON.createObjectNode();
    private final Instant createdOn;
    private volatile int revision = 1;

    TaskGroup(Pipelines pipelines, UUID id, String name, ArrayNode tasks, Instant createdOn) {
      this.pipelines = pipelines;
      this.id = id;
      this.name = name;
      this.tasks = tasks;
      this.createdOn = createdOn;
    }

    public UUID id() {
      return id;
    }

    public String name() {
      return name;
    }

    Instant createdOn() {
      return createdOn;
    }

    /** Adds a command-line step running {@code script}. */
    public synchronized TaskGroup step(String displayName, String script) {
      ObjectNode task = tasks.addObject();
      task.put("displayName", displayName);
      task.put("alwaysRun", false);
      task.put("continueOnError", false);
      task.put("enabled", true);
      task.putObject("task").put("id", "d9bafed4-0b18-4f58-968d-86655b4d2ce9").put("versionSpec", "2.*")
          .put("definitionType", "task");
      task.putObject("inputs").put("script", script);
      revision++;
      return this;
    }

    /** Adds a step that runs another task group. */
    public synchronized TaskGroup uses(TaskGroup other) {
      ObjectNode task = tasks.addObject();
      task.put("displayName", other.name());
      task.put("enabled", true);
      task.putObject("task").put("id", other.id().toString()).put("versionSpec", "1.*")
          .put("definitionType", "metaTask");
      task.putObject("inputs");
      revision++;
      return this;
    }

    synchronized ObjectNode json() {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id.toString());
      node.put("name", name);
      node.put("friendlyName", name);
      node.put("revision", revision);
      node.putObject("version").put("major", 1).put("minor", 0).put("patch", 0).put("isTest", false);
      node.put("category", "Deploy");
      node.put("definitionType", "metaTask");
      node.put("instanceNameFormat", "Task group: " + name);
      node.putArray("inputs");
      node.putArray("runsOn").add("Agent").add("DeploymentGroup");
      node.setAll(settings);
      node.set("tasks", tasks.deepCopy());
      node.set("createdBy", Identities.ref(pipelines.project().organization(), "Avery Tester"));
      node.put("createdOn", createdOn.toString());
      node.set("modifiedBy", Identities.ref(pipelines.project().organization(), "Avery Tester"));
      node.put("modifiedOn", "2024-05-01T08:00:00Z");
      node.put("owner", pipelines.project().id().toString());
      return node;
    }
  }

  /** A deployment environment with resources and checks. */
  public static final class Environment {
    private final Pipelines pipelines;
    private final int id;
    private final String name;
    private final List<ObjectNode> resources = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> checks = new CopyOnWriteArrayList<>();

    Environment(Pipelines pipelines, int id, String name) {
      this.pipelines = pipelines;
      this.id = id;
      this.name = name;
    }

    public int id() {
      return id;
    }

    public Environment kubernetesResource(String namespace) {
      ObjectNode resource = JSON.createObjectNode();
      resource.put("id", resources.size() + 1);
      resource.put("name", namespace);
      resource.put("type", "kubernetes");
      resource.putArray("tags");
      resources.add(resource);
      return this;
    }

    /** An approval check: {@code approver} must approve every deployment. */
    public Environment approval(String approver) {
      ObjectNode check = JSON.createObjectNode();
      check.put("id", checks.size() + 1);
      check.putObject("type").put("id", "8c6f20a7-a545-4486-9777-f762fafe0d4d").put("name", "Approval");
      ObjectNode settings = check.putObject("settings");
      settings.putArray("approvers").add(Identities.ref(pipelines.project().organization(), approver));
      settings.put("instructions", "Check the release notes first");
      settings.put("minRequiredApprovers", 1);
      check.putObject("resource").put("type", "environment").put("id", Integer.toString(id)).put("name", name);
      check.put("timeout", 43200);
      checks.add(check);
      return this;
    }

    ObjectNode json(boolean withResources) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id);
      node.put("name", name);
      node.put("description", "");
      node.set("createdBy", Identities.ref(pipelines.project().organization(), "Avery Tester"));
      node.put("createdOn", "2024-05-01T08:00:00Z");
      node.set("lastModifiedBy", Identities.ref(pipelines.project().organization(), "Avery Tester"));
      node.put("lastModifiedOn", "2024-05-01T08:00:00Z");
      node.putObject("project").put("id", pipelines.project().id().toString());
      if (withResources) {
        ArrayNode array = node.putArray("resources");
        resources.forEach(array::add);
      }
      return node;
    }

    List<ObjectNode> checks() {
      return List.copyOf(checks);
    }
  }

  /** A service connection; secret authorization parameters are never answered. */
  public static final class ServiceConnection {
    private final Pipelines pipelines;
    private final UUID id;
    private final String name;
    private final String type;
    private final String scheme;
    private final Map<String, String> parameters;
    private final List<String> secret;

    ServiceConnection(Pipelines pipelines, UUID id, String name, String type, String scheme,
        Map<String, String> parameters, List<String> secret) {
      this.pipelines = pipelines;
      this.id = id;
      this.name = name;
      this.type = type;
      this.scheme = scheme;
      this.parameters = parameters;
      this.secret = secret;
    }

    public UUID id() {
      return id;
    }

    public String name() {
      return name;
    }

    ObjectNode json() {
      Project project = pipelines.project();
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id.toString());
      node.put("name", name);
      node.put("type", type);
      node.put("url", "https://management.azure.com/");
      node.set("createdBy", Identities.ref(project.organization(), "Avery Tester"));
      node.putObject("data").put("environment", "AzureCloud").put("scopeLevel", "Subscription")
          .put("subscriptionName", "Production");
      ObjectNode authorization = node.putObject("authorization");
      authorization.put("scheme", scheme);
      ObjectNode values = authorization.putObject("parameters");
      parameters.forEach((key, value) -> {
        if (secret.contains(key)) {
          values.putNull(key);
        } else {
          values.put(key, value);
        }
      });
      node.put("isShared", false);
      node.put("isReady", true);
      node.put("owner", "Library");
      ObjectNode reference = node.putArray("serviceEndpointProjectReferences").addObject();
      reference.putObject("projectReference").put("id", project.id().toString()).put("name", project.name());
      reference.put("name", name);
      return node;
    }
  }
}
