package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reporting work item revisions API ({@code GET _apis/wit/reporting/workitemrevisions}): every
 * revision of the project's work items in the order they were made, in batches, each answer with a
 * {@code continuationToken} (the watermark to come back with), {@code nextLink} and
 * {@code isLastBatch}. {@code startDateTime} starts at a time instead of the beginning (not together
 * with a token); {@code includeDeleted} adds deletions ({@code System.IsDeleted}); {@code fields}
 * narrows the fields; without it a revision has all its fields, as the work item's revisions API
 * answers it, and with {@code includeRelations} its links. Tokens are opaque to clients: here {@code g<item>.<rev>} inside the generated
 * revisions, {@code c<position>} in the revisions made later.
 */
final class ReportingApi {
  static final String RESOURCE = "wit/reporting/workitemrevisions";
  static final int MAX_PAGE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("g(\\d+)\\.(\\d+)|c(\\d+)");

  private ReportingApi() {}

  /** Where a batch starts: inside the generated revisions (item, revision) or at a position of the later ones. */
  private record Position(int item, int rev, int logIndex) {
    boolean inGenerated() {
      return item > 0;
    }

    String token() {
      return inGenerated() ? "g" + item + "." + rev : "c" + logIndex;
    }
  }

  static void handle(WorkItems workItems, HttpServletRequest request, HttpServletResponse response, String version)
      throws IOException {
    String token = request.getParameter("continuationToken");
    String start = request.getParameter("startDateTime");
    if (token != null && start != null) {
      RestApi.error(response, 400, "startDateTime cannot be used together with continuationToken.",
          "InvalidArgumentValueException");
      return;
    }
    int pageSize = MAX_PAGE;
    if (request.getParameter("maxPageSize") != null) {
      try {
        pageSize = Math.max(1, Math.min(MAX_PAGE, Integer.parseInt(request.getParameter("maxPageSize"))));
      } catch (NumberFormatException e) {
        RestApi.error(response, 400, "maxPageSize must be a number.", "InvalidArgumentValueException");
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
      position = m.group(3) != null ? new Position(0, 0, Integer.parseInt(m.group(3)))
          : new Position(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 0);
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
    Optional<Set<String>> fields = Optional.ofNullable(request.getParameter("fields"))
        .map(f -> Set.of(f.split(",")));
    boolean relations = Boolean.parseBoolean(request.getParameter("includeRelations"));
    ArrayNode values = JSON.createArrayNode();
    while (values.size() < pageSize && position.inGenerated()) {
      int n = position.item();
      int revisions = WorkItems.generatedRevisions(n);
      if (!WorkItems.generatedAt(n, position.rev()).isBefore(since)
          && (includeDeleted || !workItems.isDeleted(n))) {
        values.add(generatedRevision(workItems, n, position.rev(), fields, relations));
      }
      position = position.rev() < revisions ? new Position(n, position.rev() + 1, 0)
          : n < workItems.generatedCount() ? new Position(n + 1, 1, 0) : new Position(0, 0, 0);
    }
    List<WorkItems.Revised> later = workItems.revisedSince(position.inGenerated() ? Integer.MAX_VALUE : position.logIndex());
    int index = position.logIndex();
    int taken = 0;
    while (!position.inGenerated() && values.size() < pageSize && taken < later.size()) {
      WorkItems.Revised revised = later.get(taken++);
      index++;
      if (revised.at().isBefore(since) || revised.deleted() && !includeDeleted
          || !includeDeleted && workItems.isDeleted(revised.id())) {
        continue;
      }
      values.add(laterRevision(workItems, revised, fields, relations));
    }
    if (!position.inGenerated()) {
      position = new Position(0, 0, index);
    }
    boolean last = !position.inGenerated() && taken == later.size();
    ObjectNode body = JSON.createObjectNode();
    body.set("values", values);
    body.put("nextLink", workItems.url() + "/_apis/wit/" + RESOURCE + "?continuationToken=" + position.token()
        + "&api-version=" + version);
    body.put("continuationToken", position.token());
    body.put("isLastBatch", last);
    RestApi.write(response, 200, body, version);
  }

  private static JsonNode generatedRevision(WorkItems workItems, int n, int rev, Optional<Set<String>> fields,
      boolean relations) {
    if (fields.isEmpty()) {
      Optional<JsonNode> whole = whole(workItems.find(n), rev, relations);
      if (whole.isPresent()) {
        return whole.get();
      }
    }
    ObjectNode fieldValues = JSON.createObjectNode();
    fieldValues.put("System.Id", n);
    fieldValues.put("System.Rev", rev);
    fieldValues.put("System.ChangedDate", WorkItems.generatedAt(n, rev).toString());
    if (fields.isEmpty() || !fields.get().equals(Set.of("System.Id", "System.Rev", "System.IsDeleted"))) {
      // the full fields of a generated revision, only when asked for more than identity and revision
      workItems.find(n).ifPresent(item -> fieldValues.setAll((ObjectNode) item.revision(rev, false).get("fields")));
    }
    return revision(n, rev, narrowed(fieldValues, fields));
  }

  private static JsonNode laterRevision(WorkItems workItems, WorkItems.Revised revised, Optional<Set<String>> fields,
      boolean relations) {
    ObjectNode fieldValues = JSON.createObjectNode();
    Optional<WorkItem> item = revised.deleted() ? Optional.empty() : workItems.find(revised.id());
    if (fields.isEmpty()) {
      Optional<JsonNode> whole = whole(item, revised.rev(), relations);
      if (whole.isPresent()) {
        return whole.get();
      }
    }
    item.filter(i -> revised.rev() <= i.rev())
        .ifPresent(i -> fieldValues.setAll((ObjectNode) i.revision(revised.rev(), false).get("fields")));
    fieldValues.put("System.Id", revised.id());
    fieldValues.put("System.Rev", revised.rev());
    fieldValues.put("System.ChangedDate", revised.at().toString());
    if (revised.deleted()) {
      fieldValues.put("System.IsDeleted", true);
    }
    return revision(revised.id(), revised.rev(), narrowed(fieldValues, fields));
  }

  /**
   * All fields of a revision (and with {@code includeRelations} the links it has), as the work
   * item's own revisions API answers it.
   */
  private static Optional<JsonNode> whole(Optional<WorkItem> item, int rev, boolean relations) {
    return item.filter(i -> rev <= i.rev()).map(i -> i.revision(rev, relations));
  }

  private static ObjectNode narrowed(ObjectNode fieldValues, Optional<Set<String>> fields) {
    if (fields.isPresent()) {
      fieldValues.retain(fields.get());
    }
    return fieldValues;
  }

  private static JsonNode revision(int id, int rev, ObjectNode fields) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("rev", rev);
    node.set("fields", fields);
    return node;
  }
}
