package dev.bunker.sandbox;

import static dev.bunker.sandbox.MetadataApi.body;
import static dev.bunker.sandbox.MetadataApi.list;
import static dev.bunker.sandbox.MetadataApi.number;
import static dev.bunker.sandbox.MetadataApi.previewRequired;

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
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a project's work items ({@link MetadataApi}'s): WIQL (20,000 ids at most), {@code
 * workitemsbatch} (200 ids at most), the reporting revisions ({@link ReportingApi}), a work item's
 * revisions and its comments (a preview API; before 5.1 the {@code System.History} revisions).
 */
final class WorkItemApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern WORK_ITEM_PART = Pattern.compile("wit/workitems/(\\d+)/(revisions|comments)");
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

  /** Answers the request when it is one of these resources; false leaves it to the caller. */
  boolean handle(WorkItems workItems, String resource, ApiVersion version, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    String at = version.toString();
    Matcher m;
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
      RestApi.error(response, 400, "VS402621: The WIQL query must start with SELECT.",
          "WorkItemTrackingQueryException");
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
      RestApi.error(response, 400, "The value '" + order + "' is not valid for order.",
          "InvalidArgumentValueException");
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
}
