package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The REST resources of what lives outside git, with Azure DevOps' shapes, limits and paging:
 * pull requests ({@code $top}/{@code $skip}, {@code searchCriteria.status}, descriptions cut in
 * lists), threads, iterations, WIQL (20,000 ids at most), {@code workitemsbatch} (200 ids at most),
 * revisions, comments (a preview API), attachments, build definitions and variable groups
 * (continuation tokens); and creating work items, attachments, comments and build definitions
 * (what a restore needs, see {@link Creation}).
 */
final class MetadataApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PULL_REQUESTS =
      Pattern.compile("git/repositories/([^/]+)/pullrequests(?:/(\\d+)(/threads|/iterations)?)?");
  private static final Pattern WORK_ITEM = Pattern.compile("wit/workitems/(\\d+)");
  private static final Pattern WORK_ITEM_PART = Pattern.compile("wit/workitems/(\\d+)/(revisions|comments)");
  private static final Pattern ATTACHMENT = Pattern.compile("wit/attachments/([0-9a-f-]{36})");
  private static final Pattern BUILD_DEFINITIONS = Pattern.compile("build/definitions(?:/(\\d+))?");
  private static final Pattern ID_CLAUSE = Pattern.compile("\\[System\\.Id\\]\\s*(>=|<=|>|<|=)\\s*(\\d+)",
      Pattern.CASE_INSENSITIVE);
  static final int BATCH_LIMIT = 200;
  /**
   * Most revisions a page of a work item's revisions holds, whatever {@code $top} asks for. The spec
   * documents no cap (wit/7.1/workItemTracking.json Revisions_List: {@code $top}, {@code $skip}), so a
   * client cannot count on a full page; this is the sandbox's own, below what Bunker asks for, so that
   * a short page that is not the last one is exercised.
   */
  static final int REVISIONS_PAGE_LIMIT = 100;
  static final int COMMENTS_PAGE_LIMIT = 200;
  /**
   * The first api-version of the Comments API (wit/5.1/workItemTracking.json Comments_Add and
   * Comments_Get Comments, a CommentList paged by continuation token). Before it, wit/5.0 "Get
   * Comments" lists the {@code System.History} revisions and nothing adds a comment.
   */
  static final ApiVersion COMMENTS_API = new ApiVersion(5, 1, false);

  private final Creation creation = new Creation();
  private final PipelineApi pipelines = new PipelineApi();

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
    if (project != null && method.equals("POST") && (m = WORK_ITEM_PART.matcher(resource)).matches()
        && m.group(2).equals("comments")) {
      if (version.compareTo(COMMENTS_API) < 0) {
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
        Optional<BuildDefinition> definition = project.buildDefinitions().stream().filter(d -> d.id() == id).findFirst();
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
    WorkItems workItems = project.workItems();
    if (resource.equals("wit/wiql") && method.equals("POST")) {
      wiql(workItems, request, response, at);
      return true;
    }
    if (resource.equals(ReportingApi.RESOURCE) && method.equals("GET")) {
      ReportingApi.handle(workItems, request, response, at);
      return true;
    }
    if (resource.equals("wit/workitemsbatch") && method.equals("POST")) {
      batch(workItems, request, response, at);
      return true;
    }
    if ((m = WORK_ITEM_PART.matcher(resource)).matches() && method.equals("GET")) {
      int id = Integer.parseInt(m.group(1));
      Optional<WorkItem> item = workItems.find(id);
      if (item.isEmpty()) {
        RestApi.error(response, 404, "TF401232: Work item " + id + " does not exist, or you do not have "
            + "permissions to read it.", "WorkItemUnauthorizedAccessException");
      } else if (m.group(2).equals("revisions")) {
        revisions(item.get(), request, response, at);
      } else if (!version.preview()) {
        previewRequired(response, version);
      } else if (version.compareTo(COMMENTS_API) < 0) {
        historyComments(item.get(), request, response, at);
      } else {
        comments(item.get(), request, response, at);
      }
      return true;
    }
    return false;
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

  /**
   * Ids in ascending order matching the query's {@code [System.Id]} comparisons (other clauses
   * are taken as true). More than the limit is an error unless {@code $top} keeps within it.
   */
  private void wiql(WorkItems workItems, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    JsonNode body = body(request, response);
    if (body == null) {
      return;
    }
    String query = body.path("query").asText("");
    if (!query.toLowerCase().startsWith("select")) {
      RestApi.error(response, 400, "VS402621: The WIQL query must start with SELECT.", "WorkItemTrackingQueryException");
      return;
    }
    Integer top = number(request, response, "$top", Integer.MAX_VALUE);
    if (top == null) {
      return;
    }
    IntPredicate matches = id -> true;
    Matcher clause = ID_CLAUSE.matcher(query);
    while (clause.find()) {
      int value = Integer.parseInt(clause.group(2));
      IntPredicate condition = switch (clause.group(1)) {
        case ">" -> id -> id > value;
        case ">=" -> id -> id >= value;
        case "<" -> id -> id < value;
        case "<=" -> id -> id <= value;
        default -> id -> id == value;
      };
      matches = matches.and(condition);
    }
    boolean descending = query.toUpperCase().matches("(?s).*ORDER BY \\[SYSTEM\\.ID\\]\\s+DESC.*");
    int[] ids = workItems.ids().filter(matches).toArray();
    int limit = workItems.queryLimit();
    if (ids.length > limit && top > limit) {
      RestApi.error(response, 400, "VS402337: The number of work items returned exceeds the size limit of "
          + limit + ". Change the query to return fewer work items.",
          "WorkItemTrackingQueryResultSizeLimitExceededException");
      return;
    }
    ObjectNode result = JSON.createObjectNode();
    result.put("queryType", "flat");
    result.put("queryResultType", "workItem");
    result.put("asOf", Instant.now().toString());
    result.putArray("columns").addObject().put("referenceName", "System.Id").put("name", "ID")
        .put("url", workItems.project().organization().url() + "/_apis/wit/fields/System.Id");
    result.putArray("sortColumns").addObject().put("descending", descending).putObject("field")
        .put("referenceName", "System.Id").put("name", "ID");
    ArrayNode items = result.putArray("workItems");
    int count = Math.min(ids.length, top);
    for (int i = 0; i < count; i++) {
      int id = descending ? ids[ids.length - 1 - i] : ids[i];
      items.addObject().put("id", id).put("url", workItems.url() + "/_apis/wit/workItems/" + id);
    }
    RestApi.write(response, 200, result, version);
  }

  private void batch(WorkItems workItems, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    JsonNode body = body(request, response);
    if (body == null) {
      return;
    }
    JsonNode ids = body.path("ids");
    if (!ids.isArray() || ids.isEmpty()) {
      RestApi.error(response, 400, "The ids of the work items to get are required.", "ArgumentNullException");
      return;
    }
    if (ids.size() > BATCH_LIMIT) {
      RestApi.error(response, 400, "VS403474: The maximum number of work items that can be requested in a "
          + "batch is " + BATCH_LIMIT + ".", "VssPropertyValidationException");
      return;
    }
    String expand = body.path("$expand").asText("none");
    boolean omit = body.path("errorPolicy").asText("fail").equalsIgnoreCase("omit");
    List<JsonNode> value = new ArrayList<>();
    for (JsonNode id : ids) {
      Optional<WorkItem> item = workItems.find(id.asInt());
      if (item.isEmpty() && !omit) {
        RestApi.error(response, 404, "TF401232: Work item " + id.asInt() + " does not exist, or you do not "
            + "have permissions to read it.", "WorkItemUnauthorizedAccessException");
        return;
      }
      value.add(item.<JsonNode>map(w -> w.current(expand)).orElse(JSON.nullNode()));
    }
    RestApi.write(response, 200, list(value), version);
  }

  private void revisions(WorkItem item, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    Integer top = number(request, response, "$top", REVISIONS_PAGE_LIMIT);
    Integer skip = top == null ? null : number(request, response, "$skip", 0);
    if (skip == null) {
      return;
    }
    boolean relations = "all".equalsIgnoreCase(request.getParameter("$expand"))
        || "relations".equalsIgnoreCase(request.getParameter("$expand"));
    List<JsonNode> page = new ArrayList<>();
    int revisions = item.revisionCount();
    for (int rev = skip + 1; rev <= Math.min(revisions, skip + Math.min(top, REVISIONS_PAGE_LIMIT)); rev++) {
      page.add(item.revision(rev, relations));
    }
    RestApi.write(response, 200, list(page), version);
  }

  private void comments(WorkItem item, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    Integer top = number(request, response, "$top", COMMENTS_PAGE_LIMIT);
    Integer start = top == null ? null : number(request, response, "continuationToken", 0);
    if (start == null) {
      return;
    }
    List<WorkItem.Comment> all = item.comments();
    int end = Math.min(all.size(), start + Math.max(1, Math.min(top, COMMENTS_PAGE_LIMIT)));
    ObjectNode body = JSON.createObjectNode();
    body.put("totalCount", all.size());
    body.put("count", Math.max(0, end - start));
    ArrayNode comments = body.putArray("comments");
    for (int i = start; i < end; i++) {
      comments.add(item.comment(all.get(i)));
    }
    if (end < all.size()) {
      body.put("continuationToken", Integer.toString(end));
      body.put("nextPage", item.current("none").path("url").asText() + "/comments?continuationToken=" + end);
    }
    RestApi.write(response, 200, body, version);
  }

  /**
   * Server 2019's comments (wit/5.0/workItemTracking.json "Get Comments", WorkItemComments): those
   * written from revision {@code fromRevision} (default 1) on, {@code $top} (default 200) of them,
   * by revision {@code order} asc (default) or desc; no continuation token: the next page starts
   * after the last revision read.
   */
  private void historyComments(WorkItem item, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    Integer top = number(request, response, "$top", COMMENTS_PAGE_LIMIT);
    Integer from = top == null ? null : number(request, response, "fromRevision", 1);
    if (from == null) {
      return;
    }
    String order = Optional.ofNullable(request.getParameter("order")).orElse("asc");
    if (!order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
      RestApi.error(response, 400, "The value '" + order + "' is not valid for order.", "InvalidArgumentValueException");
      return;
    }
    List<WorkItem.Comment> all = item.comments();
    Comparator<WorkItem.Comment> byRevision = Comparator.comparingInt(WorkItem.Comment::revision);
    List<WorkItem.Comment> fromRevision = all.stream().filter(c -> c.revision() >= from)
        .sorted(order.equalsIgnoreCase("desc") ? byRevision.reversed() : byRevision).toList();
    List<WorkItem.Comment> page = fromRevision.subList(0,
        Math.min(fromRevision.size(), Math.max(1, Math.min(top, COMMENTS_PAGE_LIMIT))));
    ObjectNode body = JSON.createObjectNode();
    body.put("totalCount", all.size());
    body.put("fromRevisionCount", fromRevision.size());
    body.put("count", page.size());
    ArrayNode comments = body.putArray("comments");
    page.forEach(c -> comments.add(item.historyComment(c)));
    RestApi.write(response, 200, body, version);
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
