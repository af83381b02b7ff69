package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.OnConflict;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restores a snapshot's work items: created on their original area and iteration paths with their
 * current fields (under {@code bypassRules}), people fields mapped where the target knows them,
 * attachments uploaded again (in chunks above {@link #SIMPLE_UPLOAD_LIMIT}), links between restored
 * items added once all exist, and comments added again saying who wrote them and when. In the
 * snapshot's own project the work items it still holds are conflicts ({@link #stillThere}).
 */
final class WorkItemRestore {
  private static final Pattern WORK_ITEM_URL =
      Pattern.compile(".*/_apis/wit/workItems/(\\d+)$", Pattern.CASE_INSENSITIVE);
  /** Fields Azure DevOps keeps itself, or that belong to the source project's boards. */
  private static final Set<String> NOT_RESTORED = Set.of("system.id", "system.rev", "system.reviseddate",
      "system.watermark", "system.teamproject", "system.commentcount", "system.attachedfilecount",
      "system.relatedlinkcount", "system.externallinkcount", "system.hyperlinkcount", "system.history",
      "system.authorizeddate", "system.authorizedas", "system.changeddate", "system.personid",
      "system.nodename", "system.areaid", "system.iterationid", "system.areapath", "system.iterationpath",
      "system.boardcolumn", "system.boardcolumndone", "system.boardlane");

  /**
   * Largest attachment uploaded in one request: "On accounts with higher attachment upload limits
   * (>130MB), you will need to use chunked upload" (wit/7.1/workItemTracking.json
   * Attachments_Create). Read as decimal megabytes, the smaller reading; larger ones go in chunks.
   */
  static final long SIMPLE_UPLOAD_LIMIT = 130_000_000L;
  /** Bytes per chunk of a chunked upload (Attachments_Upload Chunk sets no size; a chunk stays far below the limit). */
  static final int UPLOAD_CHUNK = 8 * 1024 * 1024;

  /** Ledger kinds of what is made with work items: a comment (by its position), a work item's links. */
  static final String COMMENT = "workItemComment";
  static final String LINKS = "workItemLinks";

  /** Work items created at a time. */
  static final int PARALLELISM = 4;

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  WorkItemRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  /**
   * Creates the work items {@value #PARALLELISM} at a time (each with its attachments and
   * comments; the client bounds calls per organization), then links them once all exist. Work items
   * the ledger holds were made by an earlier run: only what they still lack is added. In the
   * snapshot's own project, the work items it still holds are conflicts ({@link #stillThere}).
   *
   * @return the work items left as they are in the project (they keep their ids)
   */
  Set<String> workItems(SnapshotReader snapshot, ProjectRef target, BoardsRestore.PathMap paths,
      TargetIdentities people, RestoreRun run) {
    String base = encode(target.id()) + "/_apis/wit/";
    Set<String> kept = kept(Calls.sequential(client.exchange(), organization, credential), snapshot, target, run);
    Map<String, List<JsonNode>> links = Collections.synchronizedMap(
        new TreeMap<>(Comparator.comparingInt(Integer::parseInt)));
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, runnable -> {
      Thread thread = new Thread(runnable, "restore-" + target.id());
      thread.setDaemon(true);
      return thread;
    });
    try {
      new Calls(client.exchange(), organization, credential, pool).forEach(
          sortedIds(snapshot.entries(MetadataKind.WORK_ITEM).keySet()).stream().filter(id -> !kept.contains(id))
              .toList(),
          id -> workItem(snapshot, base, paths, people, id, run, links));
    } finally {
      pool.shutdownNow();
    }
    links(base, links, kept, run);
    return kept;
  }

  /**
   * The snapshot's work items the target still holds ({@link #stillThere}) that a restore leaves as
   * they are: all of them when it skips conflicts, else none (they are made again as new work
   * items); either way {@code run} lists the conflict.
   */
  static Set<String> kept(Calls calls, SnapshotReader snapshot, ProjectRef target, RestoreRun run) {
    Set<String> present = stillThere(calls, snapshot, target);
    boolean keep = run.onConflict == OnConflict.SKIP;
    if (!present.isEmpty()) {
      (keep ? run.skipped : run.renamed).add(stillThereConflict(present)
          + (keep ? "; left as they are" : "; restored again as new work items"));
    }
    return keep ? present : Set.of();
  }

  /**
   * The snapshot's work items that the target project still holds. Only the snapshot's own project
   * can: a work item's id is unique in its organization, and the same id in another organization is
   * another item. Read 200 at a time, those no longer there left out (wit/7.1
   * workItemTracking.json Work Items_Get Work Items Batch, {@code errorPolicy: omit}).
   */
  private static Set<String> stillThere(Calls calls, SnapshotReader snapshot, ProjectRef target) {
    if (!target.id().equalsIgnoreCase(snapshot.snapshot().projectId())) {
      return Set.of();
    }
    List<Integer> ids = snapshot.entries(MetadataKind.WORK_ITEM).keySet().stream().map(Integer::parseInt).sorted()
        .toList();
    Set<String> present = new TreeSet<>(Comparator.comparingInt(Integer::parseInt));
    calls.workItems(encode(target.id()) + "/_apis/wit/", ids, request -> request.putArray("fields").add("System.Id"))
        .forEach(item -> present.add(item.path("id").asText()));
    return present;
  }

  /** What a restore into the snapshot's own project says of the work items still there. */
  private static String stillThereConflict(Set<String> present) {
    List<String> first = present.stream().limit(10).toList();
    return "work items " + String.join(", ", first) + (present.size() > first.size() ? "…" : "") + " ("
        + present.size() + "): the project still holds them (it is the snapshot's own)";
  }

  private void workItem(SnapshotReader snapshot, String base, BoardsRestore.PathMap paths, TargetIdentities people,
      String id, RestoreRun run, Map<String, List<JsonNode>> links) {
    JsonNode item = AzureDevOpsRestore.read(snapshot, MetadataKind.WORK_ITEM, id);
    ArrayNode patch = AdoJson.JSON.createArrayNode();
    item.path("fields").properties().forEach(field -> {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (NOT_RESTORED.contains(name.toLowerCase(Locale.ROOT)) || name.startsWith("WEF_")) {
        return;
      }
      if (!TargetIdentities.isPerson(value)) {
        add(patch, "/fields/" + name, value);
        return;
      }
      Optional<String> person = people.find(value);
      if (person.isPresent()) {
        add(patch, "/fields/" + name, AdoJson.JSON.getNodeFactory().textNode(person.get()));
      } else {
        run.notes.add("people fields (created by, changed by, assigned to…) naming someone the target organization "
            + "does not know were set to the restoring account (see the unmapped identities); the backup keeps "
            + "the originals");
        run.identities.add(TargetIdentities.name(value));
      }
    });
    JsonNode fields = item.path("fields");
    add(patch, "/fields/System.AreaPath", AdoJson.JSON.getNodeFactory().textNode(
        paths.area(fields.path("System.AreaPath").asText(snapshot.snapshot().projectName()), run.notes)));
    add(patch, "/fields/System.IterationPath", AdoJson.JSON.getNodeFactory().textNode(
        paths.iteration(fields.path("System.IterationPath").asText(snapshot.snapshot().projectName()), run.notes)));
    List<JsonNode> attachments = new ArrayList<>();
    for (JsonNode relation : item.path("relations")) {
      if ("AttachedFile".equals(relation.path("rel").asText())) {
        attachments.add(relation);
      } else if (WORK_ITEM_URL.matcher(relation.path("url").asText()).matches()) {
        links.computeIfAbsent(id, k -> new ArrayList<>()).add(relation);
      } else {
        run.notes.add("link " + relation.path("rel").asText() + " of work item " + id + " was not restored");
      }
    }
    if (item.path("rev").asInt(1) > 1) {
      run.notes.add("work item history is kept in the backup but not replayed: restored items start a new history");
    }
    String targetId = run.made(MetadataKind.WORK_ITEM.key(), id).orElse(null);
    if (targetId == null) {
      for (JsonNode relation : attachments) {
        attachment(snapshot, base, relation, id, patch, run.notes);
      }
      String type = item.path("fields").path("System.WorkItemType").asText("Task");
      targetId = client.exchange().patch(organization, credential, "POST",
          base + "workitems/$" + encode(type) + "?bypassRules=true&suppressNotifications=true", patch).body()
          .path("id").asText();
      run.record(MetadataKind.WORK_ITEM.key(), id, targetId);
    }
    comments(snapshot, base, id, targetId, run);
  }

  /** Adds the links between restored work items, each item's at once (an earlier run's added links stay). */
  private void links(String base, Map<String, List<JsonNode>> links, Set<String> kept, RestoreRun run) {
    Map<String, String> workItemIds = new HashMap<>(run.ledger.entries(MetadataKind.WORK_ITEM.key()));
    kept.forEach(id -> workItemIds.putIfAbsent(id, id));
    links.forEach((id, relations) -> {
      if (run.made(LINKS, id).isPresent()) {
        return;
      }
      ArrayNode patch = AdoJson.JSON.createArrayNode();
      for (JsonNode relation : relations) {
        Matcher m = WORK_ITEM_URL.matcher(relation.path("url").asText());
        m.matches();
        String other = workItemIds.get(m.group(1));
        if (other == null) {
          run.notes.add("link from work item " + id + " to " + m.group(1) + " was not restored: "
              + m.group(1) + " is not in the snapshot");
          continue;
        }
        ObjectNode value = AdoJson.JSON.createObjectNode();
        value.put("rel", relation.path("rel").asText());
        value.put("url", organization.uri() + "/_apis/wit/workItems/" + other);
        add(patch, "/relations/-", value);
      }
      if (!patch.isEmpty()) {
        client.exchange().patch(organization, credential, "PATCH",
            base + "workitems/" + workItemIds.get(id) + "?bypassRules=true&suppressNotifications=true", patch);
        run.record(LINKS, id, workItemIds.get(id));
      }
    });
  }

  private void attachment(SnapshotReader snapshot, String base, JsonNode relation, String workItemId,
      ArrayNode patch, Set<String> notes) {
    String url = relation.path("url").asText();
    String attachmentId = url.substring(url.lastIndexOf('/') + 1);
    String fileName = relation.path("attributes").path("name").asText("attachment");
    if (snapshot.snapshot().hash(MetadataKind.ATTACHMENT, attachmentId).isEmpty()) {
      notes.add("attachment " + fileName + " of work item " + workItemId + " is not in the snapshot");
      return;
    }
    Supplier<InputStream> open = () -> snapshot.open(MetadataKind.ATTACHMENT, attachmentId).orElseThrow();
    long size = relation.path("attributes").path("resourceSize").asLong(-1);
    if (size < 0) {
      size = measure(open);
    }
    // streamed from the backup: an attachment may be larger than memory
    JsonNode uploaded = size > SIMPLE_UPLOAD_LIMIT ? uploadInChunks(base, fileName, size, open)
        : client.exchange().upload(organization, credential, base + "attachments?fileName=" + encode(fileName), open)
            .body();
    ObjectNode value = AdoJson.JSON.createObjectNode();
    value.put("rel", "AttachedFile");
    value.put("url", uploaded.path("url").asText());
    value.putObject("attributes").put("name", fileName);
    add(patch, "/relations/-", value);
  }

  /**
   * A chunked upload (wit/7.1 Attachments_Create with {@code uploadType=Chunked}, then Attachments_Upload
   * Chunk for each {@value #UPLOAD_CHUNK} bytes in order), read from one stream of the stored attachment.
   */
  private JsonNode uploadInChunks(String base, String fileName, long size, Supplier<InputStream> open) {
    JsonNode started = client.exchange().upload(organization, credential,
        base + "attachments?fileName=" + encode(fileName) + "&uploadType=Chunked", InputStream::nullInputStream).body();
    String path = base + "attachments/" + started.path("id").asText() + "?fileName=" + encode(fileName);
    try (AttachmentChunks chunks = new AttachmentChunks(open, fileName)) {
      for (long offset = 0; offset < size; offset += UPLOAD_CHUNK) {
        long from = offset;
        long length = Math.min(UPLOAD_CHUNK, size - offset);
        client.exchange().uploadChunk(organization, credential, path, from, length, size,
            () -> chunks.open(from, length));
      }
    }
    return started;
  }

  private static long measure(Supplier<InputStream> open) {
    try (InputStream content = open.get()) {
      return content.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a stored attachment", e);
    }
  }

  /**
   * Adds the comments again, oldest first, each saying who wrote it and when. Before the Comments
   * API (Server 2019) a comment is added as the work item's {@code System.History}, one update per
   * comment (wit/5.0 Work Items "Update"). Comments backed up from Server 2019 name their writer
   * and date as {@code revisedBy} and {@code revisedDate} (wit/5.0 WorkItemComment).
   */
  private void comments(SnapshotReader snapshot, String base, String sourceId, String targetId, RestoreRun run) {
    var document = snapshot.document(MetadataKind.WORK_ITEM_COMMENTS, sourceId);
    if (document.isEmpty()) {
      return;
    }
    boolean commentsApi = ApiVersions.hasCommentsApi(client.exchange().apiVersion(organization));
    int index = 0;
    for (JsonNode comment : AdoJson.json(document.get()).path("comments")) {
      String key = sourceId + "/" + index++;
      if (run.made(COMMENT, key).isPresent()) {
        continue;
      }
      JsonNode author = comment.has("createdBy") ? comment.path("createdBy") : comment.path("revisedBy");
      JsonNode date = comment.has("createdDate") ? comment.path("createdDate") : comment.path("revisedDate");
      String text = "<p><em>Originally by " + author.path("displayName").asText("someone") + " on "
          + date.asText("an unknown date") + "</em></p>" + comment.path("text").asText();
      if (commentsApi) {
        client.exchange().post(organization, credential, base + "workItems/" + targetId + "/comments",
            AdoJson.JSON.createObjectNode().put("text", text), ApiVersions::commentsVersion);
      } else {
        ArrayNode patch = AdoJson.JSON.createArrayNode();
        add(patch, "/fields/System.History", AdoJson.JSON.getNodeFactory().textNode(text));
        client.exchange().patch(organization, credential, "PATCH",
            base + "workitems/" + targetId + "?bypassRules=true&suppressNotifications=true", patch);
      }
      run.record(COMMENT, key, targetId);
    }
  }

  private static void add(ArrayNode patch, String path, JsonNode value) {
    patch.addObject().put("op", "add").put("path", path).set("value", value);
  }

  private static List<String> sortedIds(Set<String> ids) {
    return ids.stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList();
  }
}
