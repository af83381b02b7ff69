package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The REST resources of what lives outside git, with Azure DevOps' shapes, limits and paging:
 * pull requests ({@code $top}/{@code $skip}, {@code searchCriteria.status}, descriptions cut in
 * lists), threads, iterations, work items ({@link WorkItemApi}), attachments, build definitions and
 * variable groups (continuation tokens); and creating work items, attachments, comments and build definitions
 * (what a restore needs, see {@link Creation}).
 */
final class MetadataApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PULL_REQUESTS =
      Pattern.compile("git/repositories/([^/]+)/pullrequests(?:/(\\d+)(/threads|/iterations)?)?");
  private static final Pattern WORK_ITEM = Pattern.compile("wit/workitems/(\\d+)");
  private static final Pattern ATTACHMENT = Pattern.compile("wit/attachments/([0-9a-f-]{36})");
  private static final Pattern BUILD_DEFINITIONS = Pattern.compile("build/definitions(?:/(\\d+))?");
  private final Creation creation = new Creation();
  private final PipelineApi pipelines = new PipelineApi();
  private final WorkItemApi workItemApi = new WorkItemApi();

  /** Answers the request when it is one of these resources; false leaves it to the caller. */
  boolean handle(Organization organization, Project project, String resource, String rawResource,
      ApiVersion version, AdoSandbox.Identity identity, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (pipelines.handle(organization, project, resource, version, identity, request, response)) {
      return true;
    }
    String method = request.getMethod();
    String at = version.toString();
    Matcher m;
    if (project != null && method.equals("POST") && resource.startsWith("wit/workitems/$")) {
      creation.createWorkItem(project, rawResource.substring("wit/workitems/$".length()), request, response, at);
      return true;
    }
    if (project != null && method.equals("PATCH") && (m = WORK_ITEM.matcher(resource)).matches()) {
      creation.updateWorkItem(project, Integer.parseInt(m.group(1)), identity, request, response, at);
      return true;
    }
    if (project != null && method.equals("POST") && resource.equals("wit/attachments")) {
      creation.uploadAttachment(project, request, response, at);
      return true;
    }
    if (project != null && method.equals("POST") && (m = WorkItemApi.WORK_ITEM_PART.matcher(resource)).matches()
        && m.group(2).equals("comments")) {
      if (version.compareTo(WorkItemApi.COMMENTS_API) < 0) {
        // wit/5.0 has no Comments_Add; a POST to it answers 404, as one did where Comments_Add was
        // not yet enabled (MicrosoftDocs/vsts-rest-api-specs#168)
        RestApi.notFound(response, request.getRequestURI());
      } else if (!version.preview()) {
        previewRequired(response, version);
      } else {
        creation.addComment(project, Integer.parseInt(m.group(1)), identity, request, response, at);
      }
      return true;
    }
    if (project != null && method.equals("POST") && resource.equals("build/definitions")) {
      creation.createBuildDefinition(project, request, response, at);
      return true;
    }
    if ((m = PULL_REQUESTS.matcher(resource)).matches() && method.equals("GET")) {
      Optional<HostedRepository> repository = repository(organization, project, m.group(1));
      if (repository.isEmpty()) {
        RestApi.error(response, 404, "TF401019: The Git repository with name or identifier " + m.group(1)
            + " does not exist or you do not have permissions for the operation you are attempting.",
            "GitRepositoryNotFoundException");
      } else if (m.group(2) == null) {
        listPullRequests(repository.get(), request, response, at);
      } else {
        int id = Integer.parseInt(m.group(2));
        Optional<PullRequest> pr = repository.get().pullRequests().stream().filter(p -> p.id() == id).findFirst();
        if (pr.isEmpty()) {
          RestApi.error(response, 404, "TF401180: The requested pull request was not found.",
              "GitPullRequestNotFoundException");
        } else if ("/threads".equals(m.group(3))) {
          RestApi.write(response, 200, list(new ArrayList<>(pr.get().threads())), at);
        } else if ("/iterations".equals(m.group(3))) {
          RestApi.write(response, 200, list(new ArrayList<>(pr.get().iterations())), at);
        } else {
          RestApi.write(response, 200,
              pr.get().full(Boolean.parseBoolean(request.getParameter("includeWorkItemRefs"))), at);
        }
      }
      return true;
    }
    if (project != null && (m = ATTACHMENT.matcher(resource)).matches() && method.equals("PUT")) {
      creation.uploadChunk(project, UUID.fromString(m.group(1)), request, response, at);
      return true;
    }
    if ((m = ATTACHMENT.matcher(resource)).matches() && method.equals("GET")) {
      attachment(organization, UUID.fromString(m.group(1)), response);
      return true;
    }
    if ((m = BUILD_DEFINITIONS.matcher(resource)).matches() && method.equals("GET") && project != null) {
      if (m.group(1) == null) {
        paged(request, response, project.buildDefinitions().stream().map(BuildDefinition::reference).toList(), at);
      } else {
        int id = Integer.parseInt(m.group(1));
        Optional<BuildDefinition> definition =
            project.buildDefinitions().stream().filter(d -> d.id() == id).findFirst();
        if (definition.isEmpty()) {
          RestApi.error(response, 404, "The definition with ID " + id + " does not exist.",
              "DefinitionNotFoundException");
        } else {
          RestApi.write(response, 200, definition.get().full(), at);
        }
      }
      return true;
    }
    if (resource.equals("distributedtask/variablegroups") && method.equals("GET") && project != null) {
      paged(request, response, project.variableGroups().stream().map(VariableGroup::json).toList(), at);
      return true;
    }
    if (project == null) {
      return false;
    }
    return workItemApi.handle(project.workItems(), resource, version, request, response);
  }

  /**
   * Refuses, as the service does, a resource that is a preview below api-version {@code released}
   * asked without {@code -preview} at such a version; true when the request may go on.
   */
  static boolean previewBefore(String released, ApiVersion version, HttpServletResponse response) throws IOException {
    if (version.preview() || !before(version, released)) {
      return true;
    }
    previewRequired(response, version);
    return false;
  }

  /** Whether {@code version} is older than {@code first} (e.g. {@code "7.1"}). */
  static boolean before(ApiVersion version, String first) {
    return version.compareTo(ApiVersion.parse(first)) < 0;
  }

  /**
   * The 404 of a route the server does not serve (a resource newer than the version asked, or one
   * Azure DevOps Server does not have): the same answer as an unknown route.
   */
  static void notServed(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RestApi.error(response, 404, "The controller for path '" + request.getRequestURI()
        + "' was not found or does not implement IController.", "HttpException");
  }

  static void previewRequired(HttpServletResponse response, ApiVersion version) throws IOException {
    RestApi.error(response, 400, "The requested version \"" + version + "\" of the resource is under "
        + "preview. The -preview flag must be supplied in the api-version for such requests. For example: \""
        + version + "-preview\"", "VssInvalidPreviewVersionException");
  }

  private static Optional<HostedRepository> repository(Organization organization, Project project, String nameOrId) {
    Stream<Project> scope = project == null ? organization.projects().stream() : Stream.of(project);
    return scope.flatMap(p -> p.repositories().stream())
        .filter(r -> r.id().toString().equalsIgnoreCase(nameOrId) || r.name().equalsIgnoreCase(nameOrId))
        .findFirst();
  }

  /** Newest first; {@code searchCriteria.status} active (default), completed, abandoned or all. */
  private void listPullRequests(HostedRepository repository, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    String status = Optional.ofNullable(request.getParameter("searchCriteria.status")).orElse("active");
    if (!List.of("active", "completed", "abandoned", "all", "notset").contains(status.toLowerCase())) {
      RestApi.error(response, 400, "The value '" + status + "' is not valid for searchCriteria.status.",
          "InvalidArgumentValueException");
      return;
    }
    Integer top = number(request, response, "$top", 101);
    Integer skip = top == null ? null : number(request, response, "$skip", 0);
    if (skip == null) {
      return;
    }
    List<JsonNode> matching = repository.pullRequests().stream()
        .filter(p -> status.equalsIgnoreCase("all") || p.status().equalsIgnoreCase(status))
        .sorted(Comparator.comparingInt(PullRequest::id).reversed())
        .skip(skip).limit(Math.min(top, 1000))
        .map(p -> (JsonNode) p.listed()).toList();
    RestApi.write(response, 200, list(matching), version);
  }

  private void attachment(Organization organization, UUID id, HttpServletResponse response) throws IOException {
    Optional<WorkItems.Attachment> attachment = organization.projects().stream()
        .map(p -> p.workItems().attachment(id)).flatMap(Optional::stream).findFirst();
    if (attachment.isEmpty()) {
      RestApi.error(response, 404, "TF401003: The attachment " + id + " was not found.",
          "AttachmentNotFoundException");
      return;
    }
    response.setStatus(200);
    response.setContentType("application/octet-stream");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + attachment.get().fileName() + "\"");
    response.setContentLengthLong(attachment.get().size());
    try (java.io.InputStream content = attachment.get().open()) {
      content.transferTo(response.getOutputStream());
    }
  }

  /** The page {@code $top} and {@code continuationToken} ask for (see {@link #page}). */
  static void paged(HttpServletRequest request, HttpServletResponse response, List<? extends JsonNode> all,
      String version) throws IOException {
    Integer top = number(request, response, "$top", 100);
    Integer start = top == null ? null : number(request, response, "continuationToken", 0);
    if (start != null) {
      page(response, all, start, top, version);
    }
  }

  /** A page of at most {@code top}; the next start goes in {@code x-ms-continuationtoken}. */
  static void page(HttpServletResponse response, List<? extends JsonNode> all, int start, int top,
      String version) throws IOException {
    int end = Math.min(all.size(), start + Math.max(1, top));
    if (end < all.size()) {
      response.setHeader("x-ms-continuationtoken", Integer.toString(end));
    }
    RestApi.write(response, 200, list(new ArrayList<>(all.subList(Math.min(start, end), end))), version);
  }

  static JsonNode body(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      JsonNode body = JSON.readTree(request.getInputStream());
      if (body != null && body.isObject()) {
        return body;
      }
    } catch (IOException e) {
      // answered below
    }
    RestApi.error(response, 400, "The request body is not a valid JSON object.", "InvalidArgumentValueException");
    return null;
  }

  static Integer number(HttpServletRequest request, HttpServletResponse response, String name, int fallback)
      throws IOException {
    String text = request.getParameter(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    RestApi.error(response, 400, "The value of " + name + " must be a non-negative number, not '" + text + "'.",
        "InvalidArgumentValueException");
    return null;
  }

  static ObjectNode list(List<JsonNode> values) {
    ObjectNode body = JSON.createObjectNode();
    body.put("count", values.size());
    ArrayNode array = body.putArray("value");
    values.forEach(array::add);
    return body;
  }
}
