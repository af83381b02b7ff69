package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Api;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Pages;
import dev.bunker.ado.client.Service;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What belongs to the organization rather than to a project, for the organization-scope snapshot:
 * projects (with capabilities, visibility and properties) and processes, users and groups with
 * their direct members (Graph), users' access levels, installed extensions, agent pools, and
 * Azure Artifacts feeds with their views, upstream sources and package lists. Package files and
 * the audit log are listed as not backed up, with why; permissions (ACLs, service principals, feed
 * roles and retention) come from {@link SecurityExport}. Each service is called on its own host
 * ({@link Service}); an Azure DevOps Server answers at the collection URL, and what it has no API
 * for ({@link Api}: Graph, user entitlements, the audit log) is listed as not backed up, with why.
 */
final class OrganizationExport {

  static final String PACKAGE_FILES_REASON = "package files are not backed up: Bunker keeps each feed's packages "
      + "and versions (names, versions, views, upstreams), not the packages' contents";
  static final String AUDIT_LOG_REASON = "the audit log is not backed up: Azure DevOps keeps it for 90 days; "
      + "to keep it longer, stream it to Azure Monitor logs, Splunk or Event Grid (Organization settings, "
      + "Auditing, Streams)";

  /** Preview resources take {@code <api-version>-preview.1} (Graph, extensions, audit, project properties). */
  private static final UnaryOperator<String> PREVIEW = version -> version + "-preview.1";
  /**
   * Feeds, views, packages, feed permissions and retention policies were released at 7.0
   * (artifacts/6.0 and 5.0 feed.json: {@code -preview.1}).
   */
  static final UnaryOperator<String> FEEDS_VERSION = ApiVersions.previewBefore7(1);
  /** memberEntitlementManagement 6.0 and 5.0: User Entitlements are {@code 6.0-preview.3}, {@code 5.0-preview.2}. */
  private static final UnaryOperator<String> ENTITLEMENTS_VERSION = version -> version.equals("6.0") ? "6.0-preview.3"
      : version.equals("5.0") ? "5.0-preview.2" : version;
  /**
   * Agent pools are released from 6.0 (distributedTask/6.0 Pools_Get Agent Pools); 5.0 has no
   * file, and Microsoft's client generated for it (azure-devops-node-api 7.0.0,
   * TaskAgentApiBase.getAgentPools) asks {@code 5.0-preview.1}.
   */
  static final UnaryOperator<String> POOLS_VERSION = version -> version.equals("5.0") ? "5.0-preview.1" : version;

  private final Calls calls;
  private final int pageSize;
  private final SecurityExport security;

  OrganizationExport(Calls calls, int pageSize) {
    this.calls = calls;
    this.pageSize = pageSize;
    this.security = new SecurityExport(calls);
  }

  /** The parts of an organization-scope backup by name; each fails (and is omitted) on its own. */
  Map<String, Consumer<MetadataSink>> parts() {
    Map<String, Consumer<MetadataSink>> parts = new LinkedHashMap<>();
    parts.put("projects", this::projects);
    parts.put("processes", this::processes);
    parts.put("users", this::users);
    parts.put("groups", this::groups);
    parts.put("userEntitlements", this::userEntitlements);
    parts.put("installedExtensions", this::installedExtensions);
    parts.put("agentPools", this::agentPools);
    parts.put("feeds", this::feeds);
    parts.put("auditLog", this::auditLog);
    parts.putAll(security.parts());
    return parts;
  }

  private void projects(MetadataSink sink) {
    List<String> ids = new ArrayList<>();
    Pages.byHeaderToken(calls, calls.organization(), "_apis/projects?stateFilter=all&$top=" + pageSize,
        UnaryOperator.identity(), page -> page.path("value").forEach(p -> ids.add(p.path("id").asText())));
    calls.forEach(ids, id -> alone(sink, MetadataKind.PROJECT, id, () -> {
      JsonNode project = calls.get("_apis/projects/" + encode(id) + "?includeCapabilities=true");
      JsonNode properties = calls.exchange().get(calls.organization(), calls.credential(),
          "_apis/projects/" + encode(id) + "/properties", PREVIEW).body();
      sink.put(MetadataKind.PROJECT_PROPERTIES, id, document(properties));
      sink.put(MetadataKind.PROJECT, id, document(project));
    }));
  }

  /**
   * Reads one item of a list; when Azure DevOps refuses just that one (a project being deleted, a
   * feed the credential may not see), it is listed as not backed up and the others go on.
   */
  static void alone(MetadataSink sink, MetadataKind kind, String id, Runnable read) {
    try {
      read.run();
    } catch (AzureDevOpsRequestException e) {
      sink.omit(kind.key(), id, "could not be read: " + e.getMessage());
    }
  }

  private void processes(MetadataSink sink) {
    calls.get("_apis/process/processes").path("value")
        .forEach(process -> sink.put(MetadataKind.PROCESS, process.path("id").asText(), document(process)));
  }

  private void users(MetadataSink sink) {
    if (AzureDevOpsMetadata.lacks(calls, Api.GRAPH, sink, MetadataKind.USER, ProjectRef.ORGANIZATION.id())) {
      return;
    }
    Pages.byHeaderToken(calls, calls.organization().at(Service.IDENTITY), "_apis/graph/users", PREVIEW,
        page -> page.path("value")
            .forEach(user -> sink.put(MetadataKind.USER, user.path("descriptor").asText(), document(user))));
  }

  /** Each group, and next to it its direct members (one call per group: Graph lists no members with groups). */
  private void groups(MetadataSink sink) {
    if (AzureDevOpsMetadata.lacks(calls, Api.GRAPH, sink, MetadataKind.GROUP, ProjectRef.ORGANIZATION.id())) {
      return;
    }
    OrganizationUrl identity = calls.organization().at(Service.IDENTITY);
    List<JsonNode> groups = new ArrayList<>();
    Pages.byHeaderToken(calls, identity, "_apis/graph/groups", PREVIEW,
        page -> page.path("value").forEach(groups::add));
    calls.forEach(groups, group -> alone(sink, MetadataKind.GROUP, group.path("descriptor").asText(), () -> {
      String descriptor = group.path("descriptor").asText();
      JsonNode members = calls.exchange().get(identity, calls.credential(),
          "_apis/graph/Memberships/" + encode(descriptor) + "?direction=down", PREVIEW).body();
      ObjectNode memberships = AdoJson.JSON.createObjectNode();
      memberships.put("groupDescriptor", descriptor);
      memberships.set("members", members.path("value"));
      sink.put(MetadataKind.GROUP_MEMBERSHIPS, descriptor, document(memberships));
      sink.put(MetadataKind.GROUP, descriptor, document(group));
    }));
  }

  /**
   * Each user's access level. 7.x pages by a continuation token in the body ("items"); 6.0 the
   * same as {@code 6.0-preview.3} ("members"); 5.0 is {@code 5.0-preview.2} and pages by {@code
   * top}/{@code skip} (memberEntitlementManagement/5.0 Get User Entitlements).
   */
  private void userEntitlements(MetadataSink sink) {
    if (AzureDevOpsMetadata.lacks(calls, Api.USER_ENTITLEMENTS, sink,
        MetadataKind.USER_ENTITLEMENT, ProjectRef.ORGANIZATION.id())) {
      return;
    }
    OrganizationUrl entitlements = calls.organization().at(Service.ENTITLEMENTS);
    Consumer<JsonNode> eachPage = page -> entitlementsOf(page).forEach(
        entitlement -> sink.put(MetadataKind.USER_ENTITLEMENT, entitlement.path("id").asText(), document(entitlement)));
    // The organization's version decides how pages are asked for, so it is also the version sent
    // (the entitlements host has not negotiated one of its own yet).
    String organizationVersion = calls.apiVersion();
    UnaryOperator<String> version = ignored -> ENTITLEMENTS_VERSION.apply(organizationVersion);
    if (!organizationVersion.equals("5.0")) {
      Pages.byBodyToken(calls, entitlements, "_apis/userentitlements", version, eachPage);
      return;
    }
    int skip = 0;
    while (true) {
      JsonNode page = calls.exchange().get(entitlements, calls.credential(),
          "_apis/userentitlements?top=" + pageSize + "&skip=" + skip, version).body();
      int read = entitlementsOf(page).size();
      if (read == 0) {
        return;
      }
      eachPage.accept(page);
      skip += read;
    }
  }

  /** 7.x answers "items"; older versions "members". */
  private static JsonNode entitlementsOf(JsonNode page) {
    return page.has("items") ? page.path("items") : page.path("members");
  }

  private void installedExtensions(MetadataSink sink) {
    calls.exchange().get(calls.organization().at(Service.EXTENSIONS), calls.credential(),
        "_apis/extensionmanagement/installedextensions?includeDisabledExtensions=true", PREVIEW).body()
        .path("value").forEach(extension -> sink.put(MetadataKind.INSTALLED_EXTENSION,
            extension.path("publisherId").asText() + "." + extension.path("extensionId").asText(),
            document(extension)));
  }

  private void agentPools(MetadataSink sink) {
    calls.get("_apis/distributedtask/pools", POOLS_VERSION).path("value")
        .forEach(pool -> sink.put(MetadataKind.AGENT_POOL, pool.path("id").asText(), document(pool)));
  }

  /** Organization-scoped feeds, then each project's: a project-scoped feed is listed only under its project. */
  private void feeds(MetadataSink sink) {
    OrganizationUrl feeds = calls.organization().at(Service.FEEDS);
    List<String> scopes = new ArrayList<>();
    scopes.add("");
    // artifacts/5.0 feed.json has organization feeds only; project-scoped feeds came later.
    if (!calls.apiVersion().equals("5.0")) {
      Pages.byHeaderToken(calls, calls.organization(), "_apis/projects?$top=" + pageSize, UnaryOperator.identity(),
          page -> page.path("value").forEach(p -> scopes.add(encode(p.path("id").asText()) + "/")));
    }
    List<JsonNode> all = new ArrayList<>();
    for (String scope : scopes) {
      alone(sink, MetadataKind.FEED, scope.isEmpty() ? ProjectRef.ORGANIZATION.id() : scope.replace("/", ""),
          () -> calls.exchange().get(feeds, calls.credential(), scope + "_apis/packaging/feeds", FEEDS_VERSION)
              .body().path("value").forEach(feed -> all.add(AdoJson.JSON.createObjectNode()
                  .put("scope", scope).set("feed", feed))));
    }
    calls.forEach(all, entry -> alone(sink, MetadataKind.FEED, entry.path("feed").path("id").asText(),
        () -> feed(feeds, entry.path("scope").asText(), entry.path("feed"), sink)));
  }

  private void feed(OrganizationUrl feeds, String scope, JsonNode feed, MetadataSink sink) {
    String id = feed.path("id").asText();
    String base = scope + "_apis/packaging/Feeds/" + encode(id);
    JsonNode views = calls.exchange().get(feeds, calls.credential(), base + "/views", FEEDS_VERSION).body();
    ObjectNode viewsDocument = AdoJson.JSON.createObjectNode();
    viewsDocument.put("feedId", id);
    viewsDocument.set("views", views.path("value"));
    sink.put(MetadataKind.FEED_VIEWS, id, document(viewsDocument));
    Pages.bySkip(calls, feeds, base + "/packages?includeAllVersions=true&includeDescription=true", pageSize,
        FEEDS_VERSION, page -> page
            .forEach(pkg -> sink.put(MetadataKind.FEED_PACKAGE, id + "/" + pkg.path("id").asText(), document(pkg))));
    sink.omit("feedPackageFiles", id, PACKAGE_FILES_REASON);
    security.feed(feeds, base, id, sink);
    sink.put(MetadataKind.FEED, id, document(feed));
  }

  /** Listed as not backed up either way; whether the credential could read it changes the reason. */
  private void auditLog(MetadataSink sink) {
    String id = ProjectRef.ORGANIZATION.id();
    Optional<String> missing = Api.AUDIT_LOG.missing(calls.organization(), calls.apiVersion());
    if (missing.isPresent()) {
      sink.omit("auditLog", id, "the audit log is " + missing.get());
      return;
    }
    try {
      calls.exchange().get(calls.organization().at(Service.AUDIT), calls.credential(),
          "_apis/audit/auditlog?batchSize=1", PREVIEW);
      sink.omit("auditLog", id, AUDIT_LOG_REASON);
    } catch (AzureDevOpsRequestException e) {
      sink.omit("auditLog", id, "the audit log could not be read (it needs the organization's 'View audit log'"
          + " permission): " + e.getMessage());
    }
  }
}
