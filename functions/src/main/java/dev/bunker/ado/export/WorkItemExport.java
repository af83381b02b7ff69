package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every work item of a project with its revisions, comments and attachments.
 *
 * <p>A first run (or one after a run that did not finish the work items) reads everything: ids
 * come from WIQL in pages ordered by id ({@code [System.Id] > last} with {@code $top}), so no query
 * ever returns more than Azure DevOps' 20,000 limit; details come from {@code workitemsbatch}, 200
 * at a time, and revisions from the reporting revisions API, a thousand a call
 * ({@link WorkItemRevisionSpool}); an item that changed since, one with links or attachments (that
 * API has no relations), or every item where that API is refused, has its revisions read with calls of
 * its own. Before that it asks the reporting revisions API for a watermark of now (less
 * {@link #CLOCK_MARGIN}), and stores it
 * with the snapshot ({@link MetadataKind#WORK_ITEM_WATERMARK}, written last). A later run asks the
 * reporting API only for the revisions after that watermark, reads those work items again and keeps
 * every other one from the previous snapshot without a call; a work item whose latest revision
 * deletes it (the recycle bin) leaves the snapshot and is listed as not backed up, saying so. A
 * watermark Azure DevOps no longer accepts means a full read.
 *
 * <p>A work item whose document equals the previous snapshot's keeps its revisions without reading
 * them again; an attachment id already backed up is never downloaded again (attachments do not
 * change). Editing a comment makes no new revision (the comment gets a new version and modified
 * date), so the comments of items whose document did not change are read again one slice a day:
 * the items with comments fall into {@value #COMMENT_SLICES} slices by id, and each day's runs read
 * that day's slice. An edited comment is thus in a snapshot within {@value #COMMENT_SLICES} days, for
 * one call per {@value #COMMENT_SLICES}th commented item a day, instead of one per commented item per run.
 */
public final class WorkItemExport {

  static final int REVISIONS_PAGE = 200;
  static final int COMMENTS_PAGE = 200;
  static final int COMMENT_SLICES = 7;
  static final String WATERMARK_ID = "reporting";
  /**
   * A first run's watermark starts this long before Bunker's now, so that Azure DevOps' clock
   * running behind Bunker's cannot hide a change made while the run reads (it is read again instead).
   */
  static final java.time.Duration CLOCK_MARGIN = java.time.Duration.ofHours(1);
  private static final String ATTACHED_FILE = "AttachedFile";

  private final Calls calls;
  private final int wiqlPageSize;
  private final long today;

  WorkItemExport(Calls calls, int wiqlPageSize) {
    this.calls = calls;
    this.wiqlPageSize = wiqlPageSize;
    this.today = calls.exchange().clock().instant().getEpochSecond() / 86_400;
  }

  void export(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/wit/";
    WorkItemChanges reporting = new WorkItemChanges(calls);
    Optional<String> previous = sink.previous(MetadataKind.WORK_ITEM_WATERMARK, WATERMARK_ID)
        .map(bytes -> AdoJson.json(bytes).path("continuationToken").asText(""))
        .filter(token -> !token.isEmpty());
    String watermark = null;
    if (previous.isPresent()) {
      try {
        WorkItemChanges.Changes changes = reporting.since(base, previous.get());
        changed(base, changes, sink);
        watermark = changes.watermark();
      } catch (AzureDevOpsRequestException e) {
        if (e.status() != 400) {
          throw e;
        }
        // an expired or unknown watermark: read everything once more
      }
    }
    if (watermark == null) {
      watermark = reporting.watermarkAt(base, calls.exchange().clock().instant().minus(CLOCK_MARGIN));
      all(base, sink);
    }
    ObjectNode document = AdoJson.JSON.createObjectNode().put("continuationToken", watermark);
    // Last: a watermark promises that everything before it is in the snapshot.
    sink.put(MetadataKind.WORK_ITEM_WATERMARK, WATERMARK_ID, document(document));
  }

  private void all(String base, MetadataSink sink) {
    Optional<WorkItemRevisionSpool> spool = WorkItemRevisionSpool.read(calls, base);
    try {
      int last = 0;
      while (true) {
        List<Integer> ids = idsAfter(base, last);
        for (int from = 0; from < ids.size(); from += Calls.WORK_ITEMS_BATCH) {
          batch(base, ids.subList(from, Math.min(ids.size(), from + Calls.WORK_ITEMS_BATCH)), spool, sink);
        }
        if (ids.size() < wiqlPageSize) {
          return;
        }
        last = ids.get(ids.size() - 1);
      }
    } finally {
      spool.ifPresent(WorkItemRevisionSpool::close);
    }
  }

  /**
   * Reads the work items the reporting API named, keeps every other one of the previous snapshot,
   * and lists those deleted since.
   */
  private void changed(String base, WorkItemChanges.Changes changes, MetadataSink sink) {
    Set<String> before = sink.previousIds(MetadataKind.WORK_ITEM);
    List<Integer> toRead = changes.deleted().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
        .toList();
    Set<String> read = new HashSet<>();
    for (int from = 0; from < toRead.size(); from += Calls.WORK_ITEMS_BATCH) {
      read.addAll(batch(base, toRead.subList(from, Math.min(toRead.size(), from + Calls.WORK_ITEMS_BATCH)),
          Optional.empty(), sink));
    }
    // Attachments stay unless only a changed or deleted item's earlier version had them.
    Set<String> released = new HashSet<>();
    for (Integer id : changes.deleted().keySet()) {
      String key = id.toString();
      sink.previous(MetadataKind.WORK_ITEM, key).ifPresent(doc -> released.addAll(
          attachmentIds(AdoJson.json(doc))));
      if (!read.contains(key) && before.contains(key)) {
        sink.omit(MetadataKind.WORK_ITEM.key(), key, "deleted at the source (in the project's recycle bin); "
            + "earlier snapshots hold its last backed-up version");
      }
    }
    Set<String> unchanged = new TreeSet<>(before);
    unchanged.removeAll(changes.deleted().keySet().stream().map(String::valueOf).toList());
    Set<String> commented = sink.previousIds(MetadataKind.WORK_ITEM_COMMENTS);
    List<String> sweep = new ArrayList<>();
    for (String id : unchanged) {
      sink.keep(MetadataKind.WORK_ITEM, id);
      sink.keep(MetadataKind.WORK_ITEM_REVISIONS, id);
      if (commented.contains(id) && inTodaysSlice(id)) {
        sweep.add(id);
      } else {
        sink.keep(MetadataKind.WORK_ITEM_COMMENTS, id);
      }
    }
    calls.forEach(sweep, id -> comments(base, id, sink));
    for (String attachment : sink.previousIds(MetadataKind.ATTACHMENT)) {
      if (!released.contains(attachment)) {
        sink.keep(MetadataKind.ATTACHMENT, attachment);
      }
    }
  }

  /** Whether the comments of work item {@code id} are read again today although it did not change. */
  private boolean inTodaysSlice(String id) {
    long mixed = Long.parseLong(id) * 0x9E3779B97F4A7C15L;
    return Math.floorMod(mixed >>> 32, COMMENT_SLICES) == Math.floorMod(today, COMMENT_SLICES);
  }

  private static List<String> attachmentIds(JsonNode item) {
    List<String> ids = new ArrayList<>();
    for (JsonNode relation : item.path("relations")) {
      if (ATTACHED_FILE.equals(relation.path("rel").asText())) {
        String url = relation.path("url").asText();
        ids.add(url.substring(url.lastIndexOf('/') + 1));
      }
    }
    return ids;
  }

  private List<Integer> idsAfter(String base, int last) {
    ObjectNode query = AdoJson.JSON.createObjectNode();
    query.put("query", "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project"
        + " AND [System.Id] > " + last + " ORDER BY [System.Id]");
    JsonNode result = calls.query(base + "wiql?$top=" + wiqlPageSize, query);
    List<Integer> ids = new ArrayList<>();
    result.path("workItems").forEach(w -> ids.add(w.path("id").asInt()));
    return ids;
  }

  /**
   * Reads and records the work items {@code ids} that still exist, their revisions from {@code spool}
   * where it has them all; returns their ids.
   */
  private Set<String> batch(String base, List<Integer> ids, Optional<WorkItemRevisionSpool> spool,
      MetadataSink sink) {
    // A work item deleted between the query and this read is left out, not an error.
    List<JsonNode> items = calls.workItems(base, ids, request -> request.put("$expand", "all"));
    calls.forEach(items, item -> workItem(base, item, spool, sink));
    Set<String> read = new HashSet<>();
    items.forEach(item -> read.add(item.path("id").asText()));
    return read;
  }

  private void workItem(String base, JsonNode item, Optional<WorkItemRevisionSpool> spool, MetadataSink sink) {
    String id = item.path("id").asText();
    byte[] document = document(item);
    if (sink.unchanged(MetadataKind.WORK_ITEM, id, document)) {
      sink.keep(MetadataKind.WORK_ITEM_REVISIONS, id);
      if (sink.previousIds(MetadataKind.WORK_ITEM_COMMENTS).contains(id) && inTodaysSlice(id)) {
        comments(base, id, sink);
      } else {
        sink.keep(MetadataKind.WORK_ITEM_COMMENTS, id);
      }
    } else {
      int rev = item.path("rev").asInt(1);
      if (rev > 1) {
        // the reporting API's revisions have no relations: an item that has some now reads its own
        ArrayNode revisions = spool.filter(s -> item.path("relations").isEmpty())
            .flatMap(s -> s.revisions(Integer.parseInt(id), rev))
            .orElseGet(() -> revisions(base, id, rev));
        ObjectNode doc = AdoJson.JSON.createObjectNode();
        doc.put("id", Integer.parseInt(id));
        doc.set("revisions", revisions);
        sink.put(MetadataKind.WORK_ITEM_REVISIONS, id, document(doc));
      }
      if (item.path("fields").path("System.CommentCount").asInt(0) > 0) {
        comments(base, id, sink);
      }
    }
    for (JsonNode relation : item.path("relations")) {
      if (ATTACHED_FILE.equals(relation.path("rel").asText())) {
        attachment(relation, id, sink);
      }
    }
    // Last: a work item in a snapshot always has the revisions, comments and attachments it names.
    sink.put(MetadataKind.WORK_ITEM, id, document);
  }

  /** The {@code rev} revisions of work item {@code id}, from its own revisions API. */
  private ArrayNode revisions(String base, String id, int rev) {
    ArrayNode all = AdoJson.JSON.createArrayNode();
    int skip = 0;
    while (true) {
      JsonNode page = calls.get(base + "workItems/" + id + "/revisions?$top=" + REVISIONS_PAGE + "&$skip=" + skip
          + "&$expand=all").path("value");
      page.forEach(all::add);
      // Revisions_List documents no cap: a page shorter than asked for need not be the last
      if (page.isEmpty() || all.size() >= rev) {
        break;
      }
      skip += page.size();
    }
    return all;
  }

  private void comments(String base, String id, MetadataSink sink) {
    ArrayNode all = AdoJson.JSON.createArrayNode();
    String path = base + "workItems/" + id + "/comments?$top=" + COMMENTS_PAGE;
    if (ApiVersions.hasCommentsApi(calls.exchange().apiVersion(calls.organization()))) {
      String token = null;
      do {
        JsonNode page = commentsPage(path + (token == null ? "" : "&continuationToken=" + encode(token)));
        page.path("comments").forEach(all::add);
        String next = page.path("continuationToken").asText(null);
        token = next == null || next.isEmpty() || next.equals(token) ? null : next;
      } while (token != null);
    } else {
      // wit/5.0 "Get Comments": no token; the next page starts after the last revision read
      int fromRevision = 1;
      while (true) {
        JsonNode page = commentsPage(path + "&fromRevision=" + fromRevision + "&order=asc");
        // the schema (WorkItemComments) says comments, its captured example value
        JsonNode comments = page.has("comments") ? page.path("comments") : page.path("value");
        comments.forEach(all::add);
        int last = comments.isEmpty() ? 0 : comments.get(comments.size() - 1).path("revision").asInt(0);
        boolean allRead = page.has("fromRevisionCount") ? comments.size() >= page.path("fromRevisionCount").asInt()
            : page.has("totalCount") && all.size() >= page.path("totalCount").asInt();
        if (comments.isEmpty() || allRead || last < fromRevision) {
          break;
        }
        fromRevision = last + 1;
      }
    }
    ObjectNode doc = AdoJson.JSON.createObjectNode();
    doc.put("id", Integer.parseInt(id));
    doc.set("comments", all);
    sink.put(MetadataKind.WORK_ITEM_COMMENTS, id, document(doc));
  }

  private JsonNode commentsPage(String path) {
    return calls.exchange().get(calls.organization(), calls.credential(), path, ApiVersions::commentsVersion)
        .body();
  }

  /** Attachments never change under their id: one already backed up is kept, not downloaded. */
  private void attachment(JsonNode relation, String workItemId, MetadataSink sink) {
    String url = relation.path("url").asText();
    String attachmentId = url.substring(url.lastIndexOf('/') + 1);
    if (attachmentId.isEmpty() || sink.keep(MetadataKind.ATTACHMENT, attachmentId)) {
      return;
    }
    String organizationUrl = calls.organization().uri().toString().toLowerCase(Locale.ROOT);
    URI target = URI.create(url);
    // Azure DevOps may spell the organization in another case than it was registered with.
    if (!url.toLowerCase(Locale.ROOT).startsWith(organizationUrl + "/")) {
      sink.omit(MetadataKind.ATTACHMENT.key(), attachmentId, "attachment of work item " + workItemId
          + " is not stored in this organization");
      return;
    }
    String path = target.getRawPath().substring(calls.organization().uri().getRawPath().length() + 1);
    // streamed: an attachment may be larger than memory
    calls.exchange().download(calls.organization(), calls.credential(), path + "?download=true",
        body -> sink.put(MetadataKind.ATTACHMENT, attachmentId, body));
  }
}
