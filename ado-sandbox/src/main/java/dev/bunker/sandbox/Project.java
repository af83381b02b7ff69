package dev.bunker.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A team project of a sandbox organization. */
public final class Project {

  private final Organization organization;
  private final String name;
  private final UUID id;
  private final Instant lastUpdateTime;
  private final Map<String, HostedRepository> byName = new ConcurrentHashMap<>();
  private final List<HostedRepository> repositories = new CopyOnWriteArrayList<>();
  private volatile String state = "wellFormed";
  private volatile String description;
  private final WorkItems workItems = new WorkItems(this);
  private final List<BuildDefinition> buildDefinitions = new CopyOnWriteArrayList<>();
  private final List<VariableGroup> variableGroups = new CopyOnWriteArrayList<>();
  private final Pipelines pipelines = new Pipelines(this);
  private Boards boards;
  private final Tfvc tfvc = new Tfvc(this);

  Project(Organization organization, String name) {
    this.organization = organization;
    this.name = name;
    this.id = UUID.nameUUIDFromBytes(
        ("project:" + organization.path() + "/" + name).getBytes(StandardCharsets.UTF_8));
    this.lastUpdateTime = Instant.parse("2024-05-01T08:00:00Z");
  }

  public Organization organization() {
    return organization;
  }

  public String name() {
    return name;
  }

  public UUID id() {
    return id;
  }

  public String state() {
    return state;
  }

  String description() {
    return description;
  }

  Instant lastUpdateTime() {
    return lastUpdateTime;
  }

  /** Sets the project state, e.g. {@code createPending} or {@code deleting} (default {@code wellFormed}). */
  public Project state(String newState) {
    state = newState;
    return this;
  }

  public Project description(String text) {
    description = text;
    return this;
  }

  /** The repository named {@code name}, created empty on first use. */
  public HostedRepository repository(String repositoryName) {
    return repository(repositoryName, false, "main");
  }

  /**
   * The project wiki: a hidden repository {@code {project}.wiki} with one page on branch
   * {@code wikiMaster}, listed as a {@code projectWiki}.
   */
  public HostedRepository withProjectWiki() {
    HostedRepository wiki = repository(name + ".wiki", true, "wikiMaster");
    if (wiki.refs().isEmpty()) {
      wiki.commit("wikiMaster", "Home.md", "# " + name + "\nWelcome to the wiki.\n");
    }
    return wiki;
  }

  /** The project wiki repository, or null when the project has none. */
  HostedRepository projectWiki() {
    HostedRepository wiki = byName.get((name + ".wiki").toLowerCase(java.util.Locale.ROOT));
    return wiki != null && wiki.isHidden() ? wiki : null;
  }

  public List<HostedRepository> repositories() {
    return List.copyOf(repositories);
  }

  HostedRepository find(String repositoryName) {
    return byName.get(repositoryName.toLowerCase(java.util.Locale.ROOT));
  }

  /** Creates a repository for the REST API; null when the name is taken. */
  HostedRepository create(String repositoryName) {
    synchronized (this) {
      return find(repositoryName) != null ? null : repository(repositoryName);
    }
  }

  private synchronized HostedRepository repository(String repositoryName, boolean hidden, String branch) {
    return byName.computeIfAbsent(repositoryName.toLowerCase(java.util.Locale.ROOT), key -> {
      HostedRepository created = new HostedRepository(this, repositoryName,
          organization.directory().resolve(id.toString()).resolve(
              UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)) + ".git"),
          hidden, branch);
      repositories.add(created);
      return created;
    });
  }

  /** The project's work items (Boards). */
  public WorkItems workItems() {
    return workItems;
  }

  /** Adds {@code count} generated work items (see {@link WorkItems#generate(int)}). */
  public Project workItems(int count) {
    workItems.generate(count);
    return this;
  }

  /** The project's boards and settings: areas, iterations, queries, teams, policies, test plans. */
  public synchronized Boards boards() {
    if (boards == null) {
      boards = new Boards(this);
    }
    return boards;
  }

  /** The build definition named {@code definitionName}, created on first use. */
  public synchronized BuildDefinition buildDefinition(String definitionName) {
    return buildDefinitions.stream().filter(d -> d.name().equalsIgnoreCase(definitionName)).findFirst()
        .orElseGet(() -> {
          BuildDefinition created = new BuildDefinition(this, buildDefinitions.size() + 1, definitionName,
              lastUpdateTime);
          buildDefinitions.add(created);
          return created;
        });
  }

  List<BuildDefinition> buildDefinitions() {
    return List.copyOf(buildDefinitions);
  }

  /** A new variable group. */
  public synchronized VariableGroup variableGroup(String groupName) {
    VariableGroup created = new VariableGroup(this, variableGroups.size() + 1, groupName, lastUpdateTime);
    variableGroups.add(created);
    return created;
  }

  List<VariableGroup> variableGroups() {
    return List.copyOf(variableGroups);
  }

  /** Release definitions, task groups, environments, service connections and agent queues. */
  public Pipelines pipelines() {
    return pipelines;
  }

  /** The project's TFVC repository; a project that checks anything in is a TFVC project. */
  public Tfvc tfvc() {
    return tfvc;
  }

  @Override
  public String toString() {
    return name;
  }
}
