package dev.bunker.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sandbox Azure DevOps organization ({@code /{name}}, like dev.azure.com) or an Azure DevOps
 * Server collection ({@code /tfs/DefaultCollection}, with a Server's older api-version range).
 */
public final class Organization {

  /** The newest api-version Azure DevOps Services accepts (7.2 is in preview there). */
  public static final String CLOUD_MAX_API_VERSION = "7.2";
  /** Azure DevOps Server 2020 accepts up to 6.0 (6.1 in preview). */
  public static final String SERVER_2020_MAX_API_VERSION = "6.0";

  private final AdoSandbox sandbox;
  private final String path;
  private final boolean server;
  private final UUID id;
  private final Path directory;
  private final Map<String, Project> byName = new ConcurrentHashMap<>();
  private final List<Project> projects = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> members = ConcurrentHashMap.newKeySet();
  private volatile int pageSize = 100;
  private final java.util.concurrent.atomic.AtomicInteger lastPullRequestId =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile ApiVersion maxApiVersion;
  private volatile boolean reportingTokenInBody;
  private final OrganizationSettings settings = new OrganizationSettings(this);

  Organization(AdoSandbox sandbox, String path, boolean server, Path directory) {
    this.sandbox = sandbox;
    this.path = path;
    this.server = server;
    this.id = UUID.nameUUIDFromBytes(("organization:" + path).getBytes(StandardCharsets.UTF_8));
    this.directory = directory;
    this.maxApiVersion = ApiVersion.parse(server ? SERVER_2020_MAX_API_VERSION : CLOUD_MAX_API_VERSION);
  }

  /** Makes a person (by display name) a user of the organization: work item fields may name them. */
  public Organization member(String displayName) {
    members.add(displayName);
    return this;
  }

  /** The display names of the organization's users. */
  java.util.Set<String> members() {
    return java.util.Set.copyOf(members);
  }

  /** The user whose unique name or descriptor is {@code key}, as an identity reference. */
  Optional<com.fasterxml.jackson.databind.node.ObjectNode> member(String key, boolean byDescriptor) {
    return members.stream().map(name -> Identities.ref(this, name))
        .filter(ref -> ref.path(byDescriptor ? "descriptor" : "uniqueName").asText().equalsIgnoreCase(key))
        .findFirst();
  }

  /** The organization (or collection) URL, e.g. {@code http://127.0.0.1:port/contoso}. */
  public URI url() {
    return URI.create(sandbox.url() + "/" + path);
  }

  /**
   * The organization's Azure DevOps Services URL, {@code https://dev.azure.com/{name}}, reached
   * through {@link AdoSandbox#cloudHttpClient()}; Server collections have none.
   */
  public URI cloudUrl() {
    if (server) {
      throw new IllegalStateException(path + " is a Server collection: it has no dev.azure.com URL");
    }
    return URI.create("https://" + ServiceHosts.CLOUD_HOST + "/" + path);
  }

  /** The path under the sandbox root: the organization name, or e.g. {@code tfs/DefaultCollection}. */
  public String path() {
    return path;
  }

  /** The organization name, or the collection name of a Server collection. */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public boolean isServer() {
    return server;
  }

  public UUID id() {
    return id;
  }

  Path directory() {
    return directory;
  }

  /** The project named {@code name}, created on first use. */
  public Project project(String projectName) {
    return byName.computeIfAbsent(projectName.toLowerCase(Locale.ROOT), key -> {
      Project created = new Project(this, projectName);
      projects.add(created);
      return created;
    });
  }

  public List<Project> projects() {
    return List.copyOf(projects);
  }

  /** What belongs to the organization rather than a project: users, groups, extensions, pools, feeds. */
  public OrganizationSettings settings() {
    return settings;
  }

  /**
   * Most items answered per page of a paged list (projects, Graph subjects, entitlements, packages,
   * changesets), whatever {@code $top} asks for (default 100).
   */
  public Organization pageSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("page size must be at least 1");
    }
    pageSize = size;
    return this;
  }

  int pageSize() {
    return pageSize;
  }

  /** The newest api-version this organization accepts, e.g. {@code "5.0"} for Server 2019. */
  public Organization maxApiVersion(String version) {
    maxApiVersion = ApiVersion.parse(version);
    return this;
  }

  ApiVersion maxApiVersion() {
    return maxApiVersion;
  }

  /**
   * Whether the reporting revisions API answers the watermark in a {@code continuationToken} body
   * field too, not only inside {@code nextLink}. Off by default: two of the three captured answers
   * (wit/7.1/httpExamples/workItemRevisions/) leave the field out; the schema ({@code StreamedBatch}) has it.
   */
  public Organization reportingTokenInBody(boolean inBody) {
    reportingTokenInBody = inBody;
    return this;
  }

  boolean reportingTokenInBody() {
    return reportingTokenInBody;
  }

  /** Pull request ids are unique across an organization. */
  int nextPullRequestId() {
    return lastPullRequestId.incrementAndGet();
  }

  /** A project by name (case-insensitive) or id. */
  Optional<Project> findProject(String nameOrId) {
    Project byExactName = byName.get(nameOrId.toLowerCase(Locale.ROOT));
    if (byExactName != null) {
      return Optional.of(byExactName);
    }
    return projects.stream().filter(p -> p.id().toString().equalsIgnoreCase(nameOrId)).findFirst();
  }

  @Override
  public String toString() {
    return url().toString();
  }
}
