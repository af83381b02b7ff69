package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST resources of pipelines beyond build definitions, with Azure DevOps' shapes and paging:
 * release definitions and their revisions (a revision answers as {@code text/plain}), task groups,
 * environments with resources, checks (a preview API), service connections, agent queues and
 * pools, and the Pipelines API; creating what a restore writes is {@link PipelineCreation}'s.
 */
final class PipelineApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RELEASE_DEFINITIONS =
      Pattern.compile("release/definitions(?:/(\\d+)(/revisions(?:/(\\d+))?)?)?");
  private static final Pattern TASK_GROUPS = Pattern.compile("distributedtask/taskgroups(?:/([0-9a-f-]{36}))?");
  private static final Pattern ENVIRONMENTS = Pattern.compile("distributedtask/environments(?:/(\\d+))?");
  private static final Pattern PIPELINES = Pattern.compile("pipelines(?:/(\\d+))?");
  private static final ApiVersion CHECKS_SINCE = new ApiVersion(6, 1, false);

  /** Answers the request when it is one of these resources; false leaves it to the caller. */
  boolean handle(Organization organization, Project project, String resource, ApiVersion version,
      AdoSandbox.Identity identity, HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    String at = version.toString();
    if (resource.equals("distributedtask/variablegroups") && method.equals("POST")) {
      PipelineCreation.variableGroup(organization, project, request, response, at);
      return true;
    }
    if (project == null) {
      return false;
    }
    Pipelines pipelines = project.pipelines();
    Matcher m;
    if ((m = RELEASE_DEFINITIONS.matcher(resource)).matches()) {
      if (method.equals("POST") && m.group(1) == null) {
        PipelineCreation.releaseDefinition(project, identity, request, response, at);
      } else if (method.equals("GET")) {
        releaseDefinitions(pipelines, m, request, response, at);
      } else {
        return false;
      }
      return true;
    }
    if ((m = TASK_GROUPS.matcher(resource)).matches()) {
      if (method.equals("POST") && m.group(1) == null) {
        PipelineCreation.taskGroup(project, request, response, at);
      } else if (method.equals("GET") && m.group(1) == null) {
        taskGroups(organization, pipelines, request, response, at);
      } else if (method.equals("GET")) {
        String id = m.group(1);
        RestApi.write(response, 200, MetadataApi.list(pipelines.taskGroups().stream()
            .filter(t -> t.id().toString().equals(id)).<JsonNode>map(Pipelines.TaskGroup::json).toList()), at);
      } else {
        return false;
      }
      return true;
    }
    if (!method.equals("GET")) {
      return false;
    }
    if ((m = ENVIRONMENTS.matcher(resource)).matches()) {
      // distributedTask 6.0 is the first taskAgent file with environments (6.0-preview.1; released at 7.0)
      if (MetadataApi.before(version, "6.0")) {
        MetadataApi.notServed(request, response);
      } else if (!MetadataApi.previewBefore("7.0", version, response)) {
        return true;
      } else if (m.group(1) == null) {
        MetadataApi.paged(request, response, pipelines.environments().stream()
            .map(e -> e.json(false)).toList(), at);
      } else {
        int id = Integer.parseInt(m.group(1));
        Optional<Pipelines.Environment> environment = pipelines.environments().stream().filter(e -> e.id() == id)
            .findFirst();
        if (environment.isEmpty()) {
          RestApi.error(response, 404, "Environment with id " + id + " does not exist.",
              "EnvironmentNotFoundException");
        } else {
          RestApi.write(response, 200, environment.get().json(
              "resourceReferences".equalsIgnoreCase(request.getParameter("expands"))), at);
        }
      }
      return true;
    }
    if (resource.equals("pipelines/checks/configurations")) {
      // approvalsAndChecks/ starts at 6.1 and azure-devops-server-7.0: Server 2020 and older have no
      // such route, so it falls through to the unknown-route 404.
      if (organization.maxApiVersion().compareTo(CHECKS_SINCE) < 0) {
        return false;
      }
      // approvalsAndChecks/7.1/pipelinesChecks.json Check Configurations_List: api-Version-preview.1
      if (!OrganizationApi.preview(version, response)) {
        return true;
      }
      String type = request.getParameter("resourceType");
      String id = request.getParameter("resourceId");
      List<JsonNode> checks = pipelines.environments().stream()
          .filter(e -> "environment".equalsIgnoreCase(type) && Integer.toString(e.id()).equals(id))
          .flatMap(e -> e.checks().stream()).map(c -> (JsonNode) c).toList();
      RestApi.write(response, 200, MetadataApi.list(new ArrayList<>(checks)), at);
      return true;
    }
    if (resource.equals("serviceendpoint/endpoints")) {
      // serviceEndpoint 6.0 and 5.0: 6.0-preview.4, 5.0-preview.2
      if (MetadataApi.previewBefore("7.0", version, response)) {
        RestApi.write(response, 200, MetadataApi.list(pipelines.serviceConnections().stream()
            .<JsonNode>map(Pipelines.ServiceConnection::json).toList()), at);
      }
      return true;
    }
    if (resource.equals("distributedtask/queues")) {
      // distributedTask 6.0 Queues_Get Agent Queues: 6.0-preview.1; 5.0-preview.1 in Microsoft's client for
      // 5.0 (azure-devops-node-api 7.0.0 getAgentQueues)
      if (MetadataApi.previewBefore("7.0", version, response)) {
        RestApi.write(response, 200, MetadataApi.list(pipelines.queues().stream()
            .<JsonNode>map(q -> q.json(project)).toList()), at);
      }
      return true;
    }
    if ((m = PIPELINES.matcher(resource)).matches()) {
      // pipelines/6.0 (and azure-devops-server-6.0) is the first pipelines file: 6.0-preview.1
      if (MetadataApi.before(version, "6.0")) {
        MetadataApi.notServed(request, response);
      } else if (!MetadataApi.previewBefore("7.0", version, response)) {
        return true;
      } else if (m.group(1) == null) {
        MetadataApi.paged(request, response, project.buildDefinitions().stream()
            .map(d -> pipeline(project, d, false)).toList(), at);
      } else {
        int id = Integer.parseInt(m.group(1));
        Optional<BuildDefinition> definition = project.buildDefinitions().stream().filter(d -> d.id() == id)
            .findFirst();
        if (definition.isEmpty()) {
          RestApi.error(response, 404, "Pipeline with id " + id + " does not exist.", "PipelineNotFoundException");
        } else {
          RestApi.write(response, 200, pipeline(project, definition.get(), true), at);
        }
      }
      return true;
    }
    return false;
  }

  private void releaseDefinitions(Pipelines pipelines, Matcher m, HttpServletRequest request,
      HttpServletResponse response, String at) throws IOException {
    if (m.group(1) == null) {
      MetadataApi.paged(request, response, pipelines.releaseDefinitions().stream()
          .map(ReleaseDefinition::reference).toList(), at);
      return;
    }
    int id = Integer.parseInt(m.group(1));
    Optional<ReleaseDefinition> definition = pipelines.releaseDefinitions().stream().filter(d -> d.id() == id)
        .findFirst();
    if (definition.isEmpty()) {
      RestApi.error(response, 404, "VS402854: Release definition with id " + id + " does not exist.",
          "ReleaseDefinitionNotFoundException");
    } else if (m.group(2) == null) {
      RestApi.write(response, 200, definition.get().json(), at);
    } else if (m.group(3) == null) {
      List<JsonNode> history = new ArrayList<>();
      for (int revision = 1; revision <= definition.get().revision(); revision++) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("definitionId", id);
        entry.put("revision", revision);
        entry.put("changeType", revision == 1 ? "add" : "update");
        entry.set("changedBy", definition.get().revision(revision).path("modifiedBy"));
        entry.set("changedDate", definition.get().revision(revision).path("modifiedOn"));
        history.add(entry);
      }
      RestApi.write(response, 200, MetadataApi.list(history), at);
    } else {
      ObjectNode revision = definition.get().revision(Integer.parseInt(m.group(3)));
      if (revision == null) {
        RestApi.error(response, 404, "VS402881: Revision " + m.group(3) + " of release definition " + id
            + " does not exist.", "ReleaseDefinitionRevisionNotFoundException");
      } else {
        // Azure DevOps streams a saved revision as text/plain.
        response.setStatus(200);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write(JSON.writeValueAsString(revision).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static ObjectNode pipeline(Project project, BuildDefinition definition, boolean whole) {
    ObjectNode reference = definition.reference();
    ObjectNode node = JSON.createObjectNode();
    node.put("id", definition.id());
    node.put("revision", definition.revision());
    node.put("name", definition.name());
    node.put("folder", reference.path("path").asText());
    String url = project.organization().url() + "/" + project.id() + "/_apis/pipelines/" + definition.id();
    node.put("url", url + "?revision=" + definition.revision());
    node.putObject("_links").putObject("self").put("href", url);
    if (whole) {
      JsonNode process = definition.full().path("process");
      ObjectNode configuration = node.putObject("configuration");
      if (process.path("type").asInt() == 2) {
        configuration.put("type", "yaml");
        configuration.put("path", process.path("yamlFilename").asText());
        ObjectNode repository = configuration.putObject("repository").put("type", "azureReposGit");
        HostedRepository named = project.find(process.path("repositoryName").asText(project.name()));
        if (named != null) {
          repository.put("id", named.id().toString());
        }
      } else {
        configuration.put("type", "designerJson");
      }
    }
    return node;
  }

  /**
   * distributedTask/7.1/taskAgent.json Taskgroups_List: {@code $top}, a date-time {@code continuationToken}
   * and {@code queryOrder} (default createdOnDescending). The answer is an array, so the next page's
   * token can only come in the {@code x-ms-continuationtoken} header: the creation time of the first
   * task group not answered. How many the service answers without {@code $top} is not documented;
   * the sandbox caps a page at the organization's page size, as it does for every list.
   */
  private static void taskGroups(Organization organization, Pipelines pipelines, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    Integer top = MetadataApi.number(request, response, "$top", organization.pageSize());
    if (top == null) {
      return;
    }
    boolean ascending = "createdOnAscending".equalsIgnoreCase(request.getParameter("queryOrder"));
    Instant from;
    try {
      String token = request.getParameter("continuationToken");
      from = token == null ? null : Instant.parse(token);
    } catch (DateTimeParseException e) {
      RestApi.error(response, 400, "The continuation token is not a date and time.", "InvalidArgumentValueException");
      return;
    }
    Comparator<Pipelines.TaskGroup> order = Comparator.comparing(Pipelines.TaskGroup::createdOn);
    List<Pipelines.TaskGroup> rest = pipelines.taskGroups().stream()
        .filter(t -> from == null || (ascending ? !t.createdOn().isBefore(from) : !t.createdOn().isAfter(from)))
        .sorted(ascending ? order : order.reversed()).toList();
    int size = Math.min(rest.size(), Math.max(1, Math.min(top, organization.pageSize())));
    if (size < rest.size()) {
      response.setHeader("x-ms-continuationtoken", rest.get(size).createdOn().toString());
    }
    RestApi.write(response, 200, MetadataApi.list(rest.subList(0, size).stream()
        .<JsonNode>map(Pipelines.TaskGroup::json).toList()), version);
  }
}
