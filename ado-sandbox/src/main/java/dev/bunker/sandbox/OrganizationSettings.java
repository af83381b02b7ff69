package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What belongs to a sandbox organization rather than to a project: users with access levels,
 * groups and their members, installed extensions, agent pools, Azure Artifacts feeds (organization
 * or project scoped, with views, upstream sources and packages), project properties, and whether
 * the audit log may be read. Served by {@link OrganizationApi} in Azure DevOps' shapes.
 */
public final class OrganizationSettings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Organization organization;
  private final List<ObjectNode> users = new CopyOnWriteArrayList<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final List<ObjectNode> extensions = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> agentPools = new CopyOnWriteArrayList<>();
  private final List<Feed> feeds = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, String>> projectProperties = new LinkedHashMap<>();
  private final AtomicInteger lastChangeset = new AtomicInteger();
  private final AtomicInteger lastLabel = new AtomicInteger();
  private volatile boolean auditLogReadable = true;
  private final OrganizationSecurity security;

  OrganizationSettings(Organization organization) {
    this.organization = organization;
    this.security = new OrganizationSecurity(organization);
  }

  /** Security namespaces and ACLs, service principals, feed permissions and retention policies. */
  public OrganizationSecurity security() {
    return security;
  }

  /** A user (Graph subject) with an access level such as {@code express} (Basic) or {@code stakeholder}. */
  public synchronized OrganizationSettings user(String displayName, String accessLevel) {
    ObjectNode user = subject("aad", displayName);
    user.put("subjectKind", "user");
    user.put("mailAddress", principal(displayName));
    user.put("principalName", principal(displayName));
    user.put("directoryAlias", displayName.toLowerCase(Locale.ROOT).replace(' ', '.'));
    user.put("accessLevel", accessLevel);
    users.add(user);
    return this;
  }

  /** {@code count} generated users, for paging. */
  public OrganizationSettings users(int count) {
    for (int i = 1; i <= count; i++) {
      user("Generated User " + i, i % 3 == 0 ? "stakeholder" : "express");
    }
    return this;
  }

  /** A group whose direct members are the named users or groups (created before). */
  public synchronized OrganizationSettings group(String displayName, String... memberNames) {
    ObjectNode group = subject("vssgp", displayName);
    group.put("subjectKind", "group");
    group.put("principalName", "[" + organization.name() + "]\\" + displayName);
    group.put("description", "Members of " + displayName);
    List<String> members = new ArrayList<>();
    for (String name : memberNames) {
      members.add(descriptorOf(name));
    }
    groups.put(displayName, new Group(group, members));
    return this;
  }

  /** Adds a member to an existing group (a change a second backup should see). */
  public synchronized OrganizationSettings addMember(String groupName, String memberName) {
    groups.get(groupName).members().add(descriptorOf(memberName));
    return this;
  }

  public synchronized OrganizationSettings extension(String publisherId, String extensionId, String version) {
    ObjectNode extension = JSON.createObjectNode();
    extension.put("publisherId", publisherId);
    extension.put("publisherName", publisherId);
    extension.put("extensionId", extensionId);
    extension.put("extensionName", extensionId);
    extension.put("version", version);
    extension.put("flags", "none");
    extension.putObject("installState").put("flags", "none")
        .put("lastUpdated", "2024-05-01T08:00:00Z");
    extensions.add(extension);
    return this;
  }

  public synchronized OrganizationSettings agentPool(String name, boolean hosted) {
    ObjectNode pool = JSON.createObjectNode();
    pool.put("id", 1000 + agentPools.size()); // clear of the ids of pools that queues created
    pool.put("name", name);
    pool.put("isHosted", hosted);
    pool.put("poolType", "automation");
    pool.put("size", hosted ? 0 : 2);
    pool.put("autoProvision", false);
    pool.set("createdBy", Identities.ref(organization, "Avery Tester"));
    pool.put("createdOn", "2024-05-01T08:00:00Z");
    agentPools.add(pool);
    return this;
  }

  /** An organization-scoped feed, created on first use. */
  public Feed feed(String name) {
    return feed(name, null);
  }

  /** A feed of {@code project} (project-scoped; listed only under the project), created on first use. */
  public synchronized Feed feed(String name, Project project) {
    return feeds.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst().orElseGet(() -> {
      Feed created = new Feed(organization, project, name);
      feeds.add(created);
      return created;
    });
  }

  public synchronized OrganizationSettings projectProperty(Project project, String name, String value) {
    projectProperties.computeIfAbsent(project.id().toString(), k -> new LinkedHashMap<>()).put(name, value);
    return this;
  }

  /** Whether the credential may read the audit log (default true); false answers 403 like a missing permission. */
  public OrganizationSettings auditLogReadable(boolean readable) {
    auditLogReadable = readable;
    return this;
  }

  List<ObjectNode> users() {
    return List.copyOf(users);
  }

  synchronized List<ObjectNode> groups() {
    return groups.values().stream().map(Group::json).toList();
  }

  /** The direct members of the group with {@code descriptor}, or null when there is no such group. */
  synchronized List<String> members(String descriptor) {
    return groups.values().stream().filter(g -> g.json().path("descriptor").asText().equals(descriptor))
        .findFirst().map(g -> List.copyOf(g.members())).orElse(null);
  }

  List<ObjectNode> extensions() {
    return List.copyOf(extensions);
  }

  List<ObjectNode> agentPools() {
    return List.copyOf(agentPools);
  }

  /** The feeds of a project, or the organization-scoped ones for a null project. */
  List<Feed> feeds(Project project) {
    return feeds.stream().filter(f -> f.project() == project).toList();
  }

  /** The feed of {@code project} (or of the organization, for null) with that id or name. */
  java.util.Optional<Feed> feedIn(Project project, String idOrName) {
    return feeds(project).stream()
        .filter(f -> f.id().toString().equalsIgnoreCase(idOrName) || f.name().equalsIgnoreCase(idOrName)).findFirst();
  }

  synchronized Map<String, String> projectProperties(Project project) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("System.CurrentProcessTemplateId", processId("Agile").toString());
    properties.put("System.SourceControlCapabilityFlags", project.tfvc().isUsed() ? "1" : "2");
    properties.putAll(projectProperties.getOrDefault(project.id().toString(), Map.of()));
    return properties;
  }

  boolean auditLogReadable() {
    return auditLogReadable;
  }

  /** Changeset numbers are unique across a collection, as in TFVC. */
  int nextChangeset() {
    return lastChangeset.incrementAndGet();
  }

  /** Label ids are unique across a collection too. */
  int nextLabel() {
    return lastLabel.incrementAndGet();
  }

  static UUID processId(String name) {
    return UUID.nameUUIDFromBytes(("process:" + name).getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode subject(String prefix, String displayName) {
    ObjectNode subject = JSON.createObjectNode();
    String descriptor = prefix + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString((organization.name() + "\\" + displayName).getBytes(StandardCharsets.UTF_8));
    subject.put("descriptor", descriptor);
    subject.put("displayName", displayName);
    subject.put("origin", prefix.equals("aad") ? "aad" : "vsts");
    subject.put("originId", UUID.nameUUIDFromBytes(descriptor.getBytes(StandardCharsets.UTF_8)).toString());
    subject.put("domain", prefix.equals("aad") ? "sandbox.example" : "vstfs:///Classification/TeamProject");
    subject.put("url", organization.url() + "/_apis/Graph/" + (prefix.equals("aad") ? "Users/" : "Groups/")
        + descriptor);
    return subject;
  }

  private String descriptorOf(String name) {
    return users.stream().filter(u -> u.path("displayName").asText().equals(name)).findFirst()
        .or(() -> java.util.Optional.ofNullable(groups.get(name)).map(Group::json))
        .map(subject -> subject.path("descriptor").asText())
        .orElseThrow(() -> new IllegalArgumentException("no user or group named " + name));
  }

  private static String principal(String displayName) {
    return displayName.toLowerCase(Locale.ROOT).replace(' ', '.') + "@sandbox.example";
  }

  private record Group(ObjectNode json, List<String> members) {}

  /** An Azure Artifacts feed: views, upstream sources and packages with versions (never their files). */
  public static final class Feed {
    private final Organization organization;
    private final Project project;
    private final String name;
    private final UUID id;
    private final List<String> views = new CopyOnWriteArrayList<>(List.of("Local", "Prerelease", "Release"));
    private final List<ObjectNode> upstreams = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> packages = new LinkedHashMap<>();
    private final Map<String, String> protocols = new LinkedHashMap<>();

    Feed(Organization organization, Project project, String name) {
      this.organization = organization;
      this.project = project;
      this.name = name;
      this.id = UUID.nameUUIDFromBytes(("feed:" + organization.path() + "/" + name).getBytes(StandardCharsets.UTF_8));
    }

    public String name() {
      return name;
    }

    public UUID id() {
      return id;
    }

    Project project() {
      return project;
    }

    public Feed upstream(String upstreamName, String protocol, String location) {
      ObjectNode upstream = JSON.createObjectNode();
      upstream.put("id", UUID.nameUUIDFromBytes((id + upstreamName).getBytes(StandardCharsets.UTF_8)).toString());
      upstream.put("name", upstreamName);
      upstream.put("protocol", protocol);
      upstream.put("location", location);
      upstream.put("upstreamSourceType", "public");
      upstreams.add(upstream);
      return this;
    }

    /** Publishes {@code versions} of a package (adding to those it has). */
    public synchronized Feed publish(String protocol, String packageName, String... versions) {
      packages.computeIfAbsent(packageName, k -> new ArrayList<>()).addAll(List.of(versions));
      protocols.put(packageName, protocol);
      return this;
    }

    /** {@code count} generated packages with two versions each, for paging. */
    public Feed packages(int count) {
      for (int i = 1; i <= count; i++) {
        publish("npm", "generated-package-" + i, "1.0." + i, "1.1." + i);
      }
      return this;
    }

    ObjectNode json() {
      ObjectNode feed = JSON.createObjectNode();
      feed.put("id", id.toString());
      feed.put("name", name);
      feed.put("fullyQualifiedName", name);
      feed.put("fullyQualifiedId", id.toString());
      feed.put("description", "");
      feed.put("hideDeletedPackageVersions", true);
      feed.put("upstreamEnabled", !upstreams.isEmpty());
      ArrayNode sources = feed.putArray("upstreamSources");
      upstreams.forEach(sources::add);
      if (project != null) {
        feed.putObject("project").put("id", project.id().toString()).put("name", project.name())
            .put("visibility", "private");
      }
      feed.put("url", organization.url() + (project == null ? "" : "/" + project.id()) + "/_apis/Packaging/Feeds/"
          + id);
      return feed;
    }

    List<ObjectNode> views() {
      return views.stream().map(view -> {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", UUID.nameUUIDFromBytes((id + view).getBytes(StandardCharsets.UTF_8)).toString());
        node.put("name", view);
        node.put("type", view.equals("Local") ? "implicit" : "release");
        node.put("visibility", "collection");
        return node;
      }).toList();
    }

    synchronized List<ObjectNode> packages(boolean allVersions) {
      return packages.entrySet().stream().map(entry -> {
        ObjectNode node = JSON.createObjectNode();
        String packageId = UUID.nameUUIDFromBytes((id + entry.getKey()).getBytes(StandardCharsets.UTF_8)).toString();
        node.put("id", packageId);
        node.put("name", entry.getKey());
        node.put("normalizedName", entry.getKey().toLowerCase(Locale.ROOT));
        node.put("protocolType", protocols.get(entry.getKey()));
        ArrayNode versions = node.putArray("versions");
        List<String> all = entry.getValue();
        List<String> shown = allVersions ? all : all.subList(all.size() - 1, all.size());
        for (String version : shown) {
          versions.addObject().put("id", UUID.nameUUIDFromBytes((packageId + version).getBytes(StandardCharsets.UTF_8))
              .toString()).put("version", version).put("normalizedVersion", version)
              .put("isLatest", version.equals(all.get(all.size() - 1))).put("isListed", true);
        }
        return node;
      }).toList();
    }
  }
}
