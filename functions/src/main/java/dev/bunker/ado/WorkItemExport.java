package dev.bunker.ado;

import static dev.bunker.ado.AzureDevOpsMetadata.document;
import static dev.bunker.ado.AzureDevOpsMetadata.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every work item of a project with its revisions, comments and attachments.
 *
 * <p>Ids come from WIQL in pages ordered by id ({@code [System.Id] > last} with {@code $top}), so
 * no query ever returns more than Azure DevOps' 20,000 limit; details come from
 * {@code workitemsbatch}, 200 at a time. A work item whose document equals the previous
 * snapshot's (same revision) keeps its revisions, comments and attachments without reading them
 * again; an attachment id already backed up is never downloaded again (attachments do not change).
 */
final class WorkItemExport {

  static final int BATCH = 200;
  static final int REVISIONS_PAGE = 200;
  static final int COMMENTS_PAGE = 200;
  private static final String ATTACHED_FILE = "AttachedFile";

  private final AzureDevOpsMetadata.Calls calls;
  private final int wiqlPageSize;

  WorkItemExport(AzureDevOpsMetadata.Calls calls, int wiqlPageSize) {
    this.calls = calls;
    this.wiqlPageSize = wiqlPageSize;
  }

  void export(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/wit/";
    int last = 0;
    while (true) {
      List<Integer> ids = idsAfter(base, last);
      for (int from = 0; from < ids.size(); from += BATCH) {
        batch(base, ids.subList(from, Math.min(ids.size(), from + BATCH)), sink);
      }
      if (ids.size() < wiqlPageSize) {
        return;
      }
      last = ids.get(ids.size() - 1);
    }
  }

  private List<Integer> idsAfter(String base, int last) {
    ObjectNode query = AzureDevOpsMetadata.JSON.createObjectNode();
    query.put("query", "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project"
        + " AND [System.Id] > " + last + " ORDER BY [System.Id]");
    JsonNode result = calls.query(base + "wiql?$top=" + wiqlPageSize, query);
    List<Integer> ids = new ArrayList<>();
    result.path("workItems").forEach(w -> ids.add(w.path("id").asInt()));
    return ids;
  }

  private void batch(String base, List<Integer> ids, MetadataSink sink) {
    ObjectNode request = AzureDevOpsMetadata.JSON.createObjectNode();
    ArrayNode idArray = request.putArray("ids");
    ids.forEach(idArray::add);
    request.put("$expand", "all");
    // A work item deleted between the query and this read is left out, not an error.
    request.put("errorPolicy", "omit");
    List<JsonNode> items = new ArrayList<>();
    calls.query(base + "workitemsbatch", request).path("value").forEach(w -> {
      if (!w.isNull()) {
        items.add(w);
      }
    });
    calls.forEach(items, item -> workItem(base, item, sink));
  }

  private void workItem(String base, JsonNode item, MetadataSink sink) {
    String id = item.path("id").asText();
    byte[] document = document(item);
    if (sink.unchanged(MetadataKind.WORK_ITEM, id, document)) {
      AzureDevOpsMetadata.keepAll(sink, id, MetadataKind.WORK_ITEM_REVISIONS, MetadataKind.WORK_ITEM_COMMENTS);
    } else {
      if (item.path("rev").asInt(1) > 1) {
        revisions(base, id, sink);
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

  private void revisions(String base, String id, MetadataSink sink) {
    ArrayNode all = AzureDevOpsMetadata.JSON.createArrayNode();
    int skip = 0;
    while (true) {
      JsonNode page = calls.get(base + "workItems/" + id + "/revisions?$top=" + REVISIONS_PAGE + "&$skip=" + skip
          + "&$expand=all").path("value");
      page.forEach(all::add);
      if (page.isEmpty() || page.size() < REVISIONS_PAGE) {
        break;
      }
      skip += page.size();
    }
    ObjectNode doc = AzureDevOpsMetadata.JSON.createObjectNode();
    doc.put("id", Integer.parseInt(id));
    doc.set("revisions", all);
    sink.put(MetadataKind.WORK_ITEM_REVISIONS, id, document(doc));
  }

  private void comments(String base, String id, MetadataSink sink) {
    ArrayNode all = AzureDevOpsMetadata.JSON.createArrayNode();
    String token = null;
    do {
      JsonNode page = calls.exchange().get(calls.organization(), calls.credential(),
          base + "workItems/" + id + "/comments?$top=" + COMMENTS_PAGE
              + (token == null ? "" : "&continuationToken=" + encode(token)),
          AzureDevOpsMetadata::commentsVersion).body();
      page.path("comments").forEach(all::add);
      String next = page.path("continuationToken").asText(null);
      token = next == null || next.isEmpty() || next.equals(token) ? null : next;
    } while (token != null);
    ObjectNode doc = AzureDevOpsMetadata.JSON.createObjectNode();
    doc.put("id", Integer.parseInt(id));
    doc.set("comments", all);
    sink.put(MetadataKind.WORK_ITEM_COMMENTS, id, document(doc));
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
    byte[] content = calls.exchange().download(calls.organization(), calls.credential(), path + "?download=true")
        .bytes();
    sink.put(MetadataKind.ATTACHMENT, attachmentId, content);
  }
}
