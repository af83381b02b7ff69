package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reporting work item revisions API ({@code GET _apis/wit/reporting/workitemrevisions},
 * wit/7.1/workItemTracking.json "Reporting Work Item Revisions_Read Reporting Revisions Get"):
 * every revision of the project's work items in the order they were made, in batches of
 * {@code $maxPageSize}. Its query parameters are the spec's: {@code fields}, {@code continuationToken},
 * {@code startDateTime} (not together with a token), {@code includeIdentityRef}, {@code includeDeleted},
 * {@code $expand} ({@code fields}: long text fields too) and {@code $maxPageSize}; any other
 * parameter (such as {@code maxPageSize} or {@code includeRelations}, which the spec does not have)
 * is ignored, as the service ignores unknown parameters. A revision is {@code id}, {@code rev} and
 * {@code fields}, never {@code relations} nor {@code url} (httpExamples/workItemRevisions/). An answer
 * is {@code values}, {@code nextLink} and {@code isLastBatch}; the {@code continuationToken} body
 * field (schema {@code StreamedBatch}) only where {@link Organization#reportingTokenInBody} says so:
 * two of the three captured answers carry the watermark only inside {@code nextLink}. Tokens are
 * opaque to clients; here they look like the captured ones ({@code 3;2;1}):
 * {@code <log position>;<item>;<rev>}, the item non-zero inside the generated revisions.
 */
final class ReportingApi {
  static final String RESOURCE = "wit/reporting/workitemrevisions";
  /**
   * Revisions a batch holds without {@code $maxPageSize}, and at most. The spec documents neither
   * (wit/7.1/workItemTracking.json: "The maximum number of results to return in this batch", no
   * default, no maximum): these are the sandbox's own.
   */
  static final int DEFAULT_PAGE = 200;
  static final int MAX_PAGE = 1000;
  /**
   * Long text fields, left out unless {@code $expand=fields} (wit/7.1/workItemTracking.json: "Return
   * all the fields in work item revisions, including long text fields which are not returned by default").
   */
  private static final Set<String> LONG_TEXT = Set.of("System.Description", "System.History",
      "Microsoft.VSTS.TCM.ReproSteps", "Microsoft.VSTS.TCM.Steps", "Microsoft.VSTS.Common.AcceptanceCriteria");
  /** Fields a revision has without reading the work item itself (a deletion has only these). */
  private static final Set<String> BARE = Set.of("System.Id", "System.Rev", "System.ChangedDate", "System.IsDeleted");
  /** The filters {@code nextLink} carries on (httpExamples: it keeps {@code includeIdentityRef}). */
  private static final List<String> CARRIED = List.of("fields", "types", "includeIdentityRef", "includeDeleted",
      "includeTagRef", "includeLatestOnly", "$expand", "includeDiscussionChangesOnly", "$maxPageSize");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("(\\d+);(\\d+);(\\d+)");

  private ReportingApi() {}

  /** Where a batch starts: inside the generated revisions (item, revision) or at a position of the later ones. */
  private record Position(int item, int rev, int logIndex) {
    boolean inGenerated() {
      return item > 0;
    }

    String token() {
      return logIndex + ";" + item + ";" + rev;
    }
  }

  /** What a revision is answered with. */
  private record Shape(Optional<Set<String>> fields, boolean identityRefs, boolean longText) {}

  static void handle(WorkItems workItems, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    String token = request.getParameter("continuationToken");
    String start = request.getParameter("startDateTime");
    if (token != null && start != null) {
      RestApi.error(response, 400, "startDateTime cannot be used together with continuationToken.",
          "InvalidArgumentValueException");
      return;
    }
    int pageSize = DEFAULT_PAGE;
    if (request.getParameter("$maxPageSize") != null) {
      try {
        pageSize = Math.max(1, Math.min(MAX_PAGE, Integer.parseInt(request.getParameter("$maxPageSize"))));
      } catch (NumberFormatException e) {
        RestApi.error(response, 400, "$maxPageSize must be a number.", "InvalidArgumentValueException");
        return;
      }
    }
    Instant since = Instant.MIN;
    Position position;
    if (token != null) {
      Matcher m = TOKEN.matcher(token);
      if (!m.matches()) {
        RestApi.error(response, 400, "The continuation token '" + token + "' is not valid.",
            "InvalidArgumentValueException");
        return;
      }
      position = new Position(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(1)));
    } else {
      if (start != null) {
        try {
          since = Instant.parse(start);
        } catch (DateTimeParseException e) {
          RestApi.error(response, 400, "startDateTime '" + start + "' is not a date and time.",
              "InvalidArgumentValueException");
          return;
        }
      }
      int last = workItems.generatedCount();
      position = last > 0 && WorkItems.generatedAt(last, 3).isAfter(since) ? new Position(1, 1, 0)
          : new Position(0, 0, 0);
    }
    boolean includeDeleted = Boolean.parseBoolean(request.getParameter("includeDeleted"));
    Shape shape = new Shape(Optional.ofNullable(request.getParameter("fields")).map(f -> Set.of(f.split(","))),
        Boolean.parseBoolean(request.getParameter("includeIdentityRef")),
        "fields".equalsIgnoreCase(request.getParameter("$expand")));
    ArrayNode values = JSON.createArrayNode();
    while (values.size() < pageSize && position.inGenerated()) {
      int n = position.item();
      int revisions = WorkItems.generatedRevisions(n);
      if (!WorkItems.generatedAt(n, position.rev()).isBefore(since)
          && (includeDeleted || !workItems.isDeleted(n))) {
        values.add(revision(workItems, n, position.rev(), WorkItems.generatedAt(n, position.rev()), false, shape));
      }
      position = position.rev() < revisions ? new Position(n, position.rev() + 1, 0)
          : n < workItems.generatedCount() ? new Position(n + 1, 1, 0) : new Position(0, 0, 0);
    }
    List<WorkItems.Revised> later =
        workItems.revisedSince(position.inGenerated() ? Integer.MAX_VALUE : position.logIndex());
    int index = position.logIndex();
    int taken = 0;
    while (!position.inGenerated() && values.size() < pageSize && taken < later.size()) {
      WorkItems.Revised revised = later.get(taken++);
      index++;
      if (revised.at().isBefore(since) || revised.deleted() && !includeDeleted
          || !includeDeleted && workItems.isDeleted(revised.id())) {
        continue;
      }
      values.add(revision(workItems, revised.id(), revised.rev(), revised.at(), revised.deleted(), shape));
    }
    if (!position.inGenerated()) {
      position = new Position(0, 0, index);
    }
    boolean last = !position.inGenerated() && taken == later.size();
    ObjectNode body = JSON.createObjectNode();
    body.set("values", values);
    body.put("nextLink", nextLink(workItems, request, position, version));
    if (workItems.project().organization().reportingTokenInBody()) {
      body.put("continuationToken", position.token());
    }
    body.put("isLastBatch", last);
    RestApi.write(response, 200, body, version);
  }

  /** The next batch's URL: the token first, the request's filters, the api-version last (as in the httpExamples). */
  private static String nextLink(WorkItems workItems, HttpServletRequest request, Position position, String version) {
    StringBuilder link = new StringBuilder(workItems.url() + "/_apis/" + RESOURCE + "?continuationToken="
        + position.token());
    Map<String, String[]> parameters = request.getParameterMap();
    for (String name : CARRIED) {
      if (parameters.containsKey(name)) {
        link.append('&').append(name).append('=').append(URLEncoder.encode(parameters.get(name)[0],
            StandardCharsets.UTF_8));
      }
    }
    return link.append("&api-version=").append(version).toString();
  }

  /** Revision {@code rev} of work item {@code id} as this API answers it. */
  private static JsonNode revision(WorkItems workItems, int id, int rev, Instant at, boolean deleted, Shape shape) {
    ObjectNode fields = JSON.createObjectNode();
    boolean bare = shape.fields().map(BARE::containsAll).orElse(false);
    if (!deleted && !bare) {
      // the fields the work item's own revisions API has, less what this API leaves out
      workItems.find(id).filter(item -> rev <= item.rev())
          .ifPresent(item -> fields.setAll((ObjectNode) item.revision(rev, false).get("fields")));
    }
    fields.put("System.Id", id);
    fields.put("System.Rev", rev);
    fields.put("System.ChangedDate", at.toString());
    if (deleted) {
      fields.put("System.IsDeleted", true);
    }
    if (!shape.longText()) {
      fields.remove(LONG_TEXT);
    }
    // "Return an identity reference instead of a string value for identity fields"; the string is
    // "Name <unique name>" (httpExamples/workItemRevisions/GET__wit_reporting_workItemRevisions.json).
    // The reference is the work item APIs' IdentityRef; the api-version 2.0 capture
    // (..._includeIdentityRef-true_watermark-794.json) shows only id and uniqueName, so the live
    // shape may be thinner: clients must not count on more.
    if (!shape.identityRefs()) {
      fields.properties().forEach(field -> {
        JsonNode value = field.getValue();
        if (value.isObject() && value.has("uniqueName")) {
          field.setValue(TextNode.valueOf(value.path("displayName").asText() + " <"
              + value.path("uniqueName").asText() + ">"));
        }
      });
    }
    shape.fields().ifPresent(fields::retain);
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("rev", rev);
    node.set("fields", fields);
    return node;
  }
}
