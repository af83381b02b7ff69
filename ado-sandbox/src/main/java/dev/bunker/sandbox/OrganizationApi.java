package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The organization-level REST resources, with Azure DevOps' shapes and paging: a project with its
 * capabilities and its properties, processes, Graph users and groups ({@code
 * x-ms-continuationtoken}), memberships (listed, and a user added to a team's group) and
 * descriptors, user entitlements (a body continuation token),
 * installed extensions, agent pools, feeds with views and packages ({@code $top}/{@code $skip}),
 * and the audit log. In the cloud these live on service hosts ({@code vssps.dev.azure.com/{org}},
 * {@code feeds.…}); like an Azure DevOps Server, the sandbox serves them all at the organization
 * URL. Graph, extensions, audit and project properties are preview APIs and refuse a plain version;
 * so do feeds (and user entitlements) below 7.0 and agent pools below 6.0. A Server collection has
 * no Graph, user entitlements or audit log ({@link #cloudOnly}).
 */
final class OrganizationApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROJECT = Pattern.compile("projects/([^/]+)(/properties)?");
  private static final Pattern MEMBERSHIPS = Pattern.compile("graph/memberships/([^/]+)");
  private static final Pattern MEMBERSHIP = Pattern.compile("graph/memberships/[^/]+/[^/]+");
  private static final Pattern DESCRIPTOR = Pattern.compile("graph/descriptors/([^/]+)");
  private static final Pattern FEED_PART = Pattern.compile("packaging/feeds/([^/]+)/(views|packages)");

  /** Answers the request when it is one of these resources; false leaves it to the caller. */
  boolean handle(Organization organization, Project project, String resource, ApiVersion version,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    String at = version.toString();
    Matcher m;
    if (project == null && request.getMethod().equals("PUT") && MEMBERSHIP.matcher(resource).matches()) {
      // graph/7.1/graph.json Memberships_Add: api-Version-preview.1 in every version; descriptors are case-sensitive
      if (cloudOnly(organization, request, response) && preview(version, response)) {
        String[] descriptors = request.getRequestURI().replaceAll("(?i).*/graph/memberships/", "").split("/");
        Identities.addMembership(organization, descriptors[0], descriptors[1], response, at);
      }
      return true;
    }
    if (!request.getMethod().equals("GET")) {
      return false;
    }
    OrganizationSettings settings = organization.settings();
    if (project == null && (m = DESCRIPTOR.matcher(resource)).matches()) {
      // graph/7.1/graph.json Descriptors_Get: plain from 7.0, api-Version-preview.1 before
      if (cloudOnly(organization, request, response) && MetadataApi.previewBefore("7.0", version, response)) {
        Identities.descriptor(organization, m.group(1), response, at);
      }
      return true;
    }
    if (project == null && (m = PROJECT.matcher(resource)).matches()) {
      // A project being deleted is still listed (stateFilter=all) but no longer answers.
      Optional<Project> found = organization.findProject(m.group(1)).filter(p -> !p.state().equals("deleting"));
      if (found.isEmpty()) {
        RestApi.error(response, 404, "TF200016: The following project does not exist: " + m.group(1) + ".",
            "ProjectDoesNotExistException");
      } else if (m.group(2) == null) {
        RestApi.write(response, 200, project(found.get(),
            Boolean.parseBoolean(request.getParameter("includeCapabilities"))), at);
      } else if (preview(version, response)) {
        List<JsonNode> properties = new ArrayList<>();
        settings.projectProperties(found.get())
            .forEach((name, value) -> properties.add(JSON.createObjectNode().put("name", name).put("value", value)));
        RestApi.write(response, 200, MetadataApi.list(properties), at);
      }
      return true;
    }
    if (project == null && resource.equals("process/processes")) {
      List<JsonNode> processes = new ArrayList<>();
      for (String name : List.of("Agile", "Scrum", "Basic")) {
        processes.add(JSON.createObjectNode().put("id", OrganizationSettings.processId(name).toString())
            .put("name", name).put("type", "system").put("isDefault", name.equals("Agile")));
      }
      RestApi.write(response, 200, MetadataApi.list(processes), at);
      return true;
    }
    if (project == null && (resource.equals("graph/users") || resource.equals("graph/groups"))) {
      if (cloudOnly(organization, request, response) && preview(version, response)) {
        List<ObjectNode> subjects = resource.equals("graph/users") ? settings.users() : settings.groups();
        Integer start = MetadataApi.number(request, response, "continuationToken", 0);
        if (start != null) {
          MetadataApi.page(response, subjects.stream().map(this::withoutAccessLevel).toList(), start,
              organization.pageSize(), at);
        }
      }
      return true;
    }
    if (project == null && (m = MEMBERSHIPS.matcher(resource)).matches()) {
      if (cloudOnly(organization, request, response) && preview(version, response)) {
        String descriptor = request.getRequestURI().replaceAll("(?i).*/graph/memberships/", "").replaceAll("/.*", "");
        List<String> members = settings.members(descriptor);
        if (members == null || !"down".equalsIgnoreCase(request.getParameter("direction"))) {
          RestApi.error(response, 404, "VS860018: The subject " + descriptor + " is not a group, or direction is"
              + " not down.", "GraphSubjectNotFoundException");
        } else {
          RestApi.write(response, 200, MetadataApi.list(members.stream().<JsonNode>map(member -> JSON.createObjectNode()
              .put("containerDescriptor", descriptor).put("memberDescriptor", member)).toList()), at);
        }
      }
      return true;
    }
    if (project == null && resource.equals("userentitlements")) {
      // memberEntitlementManagement 6.0 and 5.0: 6.0-preview.3, 5.0-preview.2
      if (cloudOnly(organization, request, response) && MetadataApi.previewBefore("7.0", version, response)) {
        userEntitlements(organization, version, request, response);
      }
      return true;
    }
    if (project == null && resource.equals("extensionmanagement/installedextensions")) {
      if (preview(version, response)) {
        RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(settings.extensions())), at);
      }
      return true;
    }
    if (project == null && resource.equals("distributedtask/pools")) {
      // Released at 6.0 (distributedTask/6.0 Pools_Get Agent Pools); 5.0-preview.1 in Microsoft's client
      // for 5.0 (azure-devops-node-api 7.0.0 getAgentPools), which has no poolIds (Get Agent Pools By Ids
      // came with 6.0): like any unknown parameter, it is ignored there.
      if (MetadataApi.previewBefore("6.0", version, response)) {
        String poolIds = MetadataApi.before(version, "6.0") ? null : request.getParameter("poolIds");
        RestApi.write(response, 200, MetadataApi.list(agentPools(organization, poolIds)), at);
      }
      return true;
    }
    if (resource.equals("packaging/feeds")) {
      // artifacts/5.0 feed.json (and azure-devops-server-5.0 feed-onprem.json) has no {project} route
      if (project != null && MetadataApi.before(version, "5.1")) {
        MetadataApi.notServed(request, response);
      } else if (feedsPreview(version, response)) {
        RestApi.write(response, 200, MetadataApi.list(settings.feeds(project).stream()
            .<JsonNode>map(OrganizationSettings.Feed::json).toList()), at);
      }
      return true;
    }
    if ((m = FEED_PART.matcher(resource)).matches()) {
      String feedId = m.group(1);
      Optional<OrganizationSettings.Feed> feed = settings.feedIn(project, feedId);
      if (feed.isEmpty()) {
        RestApi.error(response, 404, "VS800033: The feed with ID '" + feedId + "' doesn't exist in this scope.",
            "FeedIdNotFoundException");
      } else if (!feedsPreview(version, response)) {
        return true;
      } else if (m.group(2).equals("views")) {
        RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(feed.get().views())), at);
      } else {
        Integer top = MetadataApi.number(request, response, "$top", 1000);
        Integer skip = top == null ? null : MetadataApi.number(request, response, "$skip", 0);
        if (skip != null) {
          List<ObjectNode> packages =
              feed.get().packages(Boolean.parseBoolean(request.getParameter("includeAllVersions")));
          int end = Math.min(packages.size(), skip + Math.min(top, organization.pageSize()));
          RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(packages.subList(Math.min(skip, end), end))),
              at);
        }
      }
      return true;
    }
    if (project == null && resource.equals("audit/auditlog")) {
      if (!cloudOnly(organization, request, response)) {
        return true;
      }
      if (MetadataApi.before(version, "5.1")) {
        // audit/5.1 is the first audit file
        MetadataApi.notServed(request, response);
      } else if (!settings.auditLogReadable()) {
        RestApi.error(response, 403, "VS403506: Access denied. You need 'View audit log' permissions to perform "
            + "this action.", "UnauthorizedAccessException");
      } else if (preview(version, response)) {
        ObjectNode log = JSON.createObjectNode();
        log.putArray("decoratedAuditLogEntries");
        log.put("continuationToken", "");
        log.put("hasMore", false);
        RestApi.write(response, 200, log, at);
      }
      return true;
    }
    return false;
  }

  /**
   * Graph, user entitlements and the audit log are Azure DevOps Services only: the specification
   * has no Server file for graph, memberEntitlementManagement or audit, and Azure DevOps Server 2019
   * answers graph/groups "Page not found" (MicrosoftDocs/vsts-rest-api-specs#184; Graph "not
   * supported on Azure DevOps server 2019", Azure/azure-devops-cli-extension#666; Server 2020 the
   * same, #1105). On a Server collection this answers 404; true when the request may go on.
   */
  static boolean cloudOnly(Organization organization, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (organization.isServer()) {
      MetadataApi.notServed(request, response);
      return false;
    }
    return true;
  }

  /**
   * Feeds, views, packages, feed permissions and retention policies were released at 7.0: artifacts
   * 6.0 and 5.0 feed.json (and the Server files) have them as {@code -preview.1} only.
   */
  static boolean feedsPreview(ApiVersion version, HttpServletResponse response) throws IOException {
    return MetadataApi.previewBefore("7.0", version, response);
  }

  static boolean preview(ApiVersion version, HttpServletResponse response) throws IOException {
    if (!version.preview()) {
      MetadataApi.previewRequired(response, version);
      return false;
    }
    return true;
  }

  /** Graph subjects carry no access level: that is the entitlements API's business. */
  private ObjectNode withoutAccessLevel(ObjectNode subject) {
    ObjectNode copy = subject.deepCopy();
    copy.remove("accessLevel");
    return copy;
  }

  private static ObjectNode project(Project project, boolean capabilities) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", project.id().toString());
    node.put("name", project.name());
    node.put("url", project.organization().url() + "/_apis/projects/" + project.id());
    node.put("state", project.state());
    node.put("revision", 1);
    node.put("visibility", "private");
    node.put("lastUpdateTime", project.lastUpdateTime().toString());
    if (capabilities) {
      ObjectNode caps = node.putObject("capabilities");
      boolean tfvc = project.tfvc().isUsed();
      caps.putObject("versioncontrol").put("sourceControlType", tfvc ? "Tfvc" : "Git")
          .put("gitEnabled", tfvc ? "False" : "True").put("tfvcEnabled", tfvc ? "True" : "False");
      caps.putObject("processTemplate").put("templateName", "Agile")
          .put("templateTypeId", OrganizationSettings.processId("Agile").toString());
    }
    return node;
  }

  /**
   * From 6.0 pages by a continuation token in the body; 5.0 (Get User Entitlements) by {@code
   * top}/{@code skip}, with no token.
   */
  private static void userEntitlements(Organization organization, ApiVersion version, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    boolean bySkip = MetadataApi.before(version, "6.0");
    Integer start;
    Integer top = organization.pageSize();
    if (bySkip) {
      top = MetadataApi.number(request, response, "top", 100);
      start = top == null ? null : MetadataApi.number(request, response, "skip", 0);
      if (start == null) {
        return;
      }
      top = Math.min(top, organization.pageSize());
    } else {
      try {
        String token = request.getParameter("continuationToken");
        start = token == null ? 0 : Integer.parseInt(token);
      } catch (NumberFormatException e) {
        RestApi.error(response, 400, "The continuation token is not valid.", "InvalidArgumentValueException");
        return;
      }
    }
    List<ObjectNode> users = organization.settings().users();
    int end = Math.min(users.size(), start + Math.max(1, top));
    ObjectNode body = JSON.createObjectNode();
    ArrayNode members = body.putArray("members");
    for (ObjectNode user : users.subList(Math.min(start, end), end)) {
      ObjectNode entitlement = members.addObject();
      entitlement.put("id", user.path("originId").asText());
      ObjectNode userNode = user.deepCopy();
      userNode.remove("accessLevel");
      entitlement.set("user", userNode);
      String level = user.path("accessLevel").asText();
      entitlement.putObject("accessLevel").put("licensingSource", "account").put("accountLicenseType", level)
          .put("licenseDisplayName", level.equals("express") ? "Basic" : "Stakeholder").put("status", "active");
      entitlement.put("lastAccessedDate", "2024-05-01T08:00:00Z");
      entitlement.putArray("projectEntitlements");
      entitlement.putArray("extensions");
    }
    body.put("totalCount", users.size());
    if (end < users.size() && !bySkip) {
      body.put("continuationToken", Integer.toString(end));
    }
    RestApi.write(response, 200, body, version.toString());
  }

  /**
   * The organization's pools: those its projects' queues take agents from, and those added as
   * settings; one per name. {@code poolIds} (comma-separated) narrows the list.
   */
  private static List<JsonNode> agentPools(Organization organization, String poolIds) {
    Map<String, JsonNode> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    organization.projects().stream().flatMap(p -> p.pipelines().queues().stream())
        .map(Pipelines.AgentQueue::pool).forEach(pool -> byName.putIfAbsent(pool.name(), pool.json(organization)));
    organization.settings().agentPools().forEach(pool -> byName.putIfAbsent(pool.path("name").asText(), pool));
    Set<String> ids = poolIds == null ? null
        : Arrays.stream(poolIds.split(",")).map(String::trim).collect(Collectors.toSet());
    return byName.values().stream().filter(pool -> ids == null || ids.contains(pool.path("id").asText())).toList();
  }
}
