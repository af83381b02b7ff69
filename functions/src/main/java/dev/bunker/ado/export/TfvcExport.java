package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Pages;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A project's Team Foundation Version Control history: every changeset with all its changes,
 * every file as each changeset left it, branches and labels, stored by content (a file unchanged across renames or
 * branches costs nothing more). Git does not hold any of it, so a TFVC project is never skipped
 * silently: a project whose capabilities say TFVC gets this, or an error saying why not.
 *
 * <p>Checked-in changesets never change: one in the previous snapshot is kept with its files and
 * not read again, so a run with no new check-ins lists changesets and reads nothing else. Files
 * are streamed into the store; a file larger than {@code maxFileBytes} is listed as not backed up
 * (a cap on what one backup run downloads for a single file), and its changeset is read again by
 * later backups (its other files are kept, not downloaded) so each snapshot lists it.
 */
final class TfvcExport {

  static final String SHELVESETS_REASON = "shelvesets (changes set aside without checking them in) are not backed"
      + " up: they are their owners' work in progress, not part of the history";
  static final int CHANGES_PAGE = 1000;
  /** The most changes Azure DevOps returns with a changeset. */
  static final int INLINE_CHANGES = 100;
  /** Enough for any comment Azure DevOps stores (lists otherwise cut comments to 80 characters). */
  static final int MAX_COMMENT_LENGTH = 100_000;

  private final Calls calls;
  private final int pageSize;
  private final long maxFileBytes;

  TfvcExport(Calls calls, int pageSize, long maxFileBytes) {
    this.calls = calls;
    this.pageSize = pageSize;
    this.maxFileBytes = maxFileBytes;
  }

  void export(ProjectRef project, MetadataSink sink) {
    if (!usesTfvc(project)) {
      return;
    }
    String base = encode(project.id()) + "/_apis/tfvc/";
    // Oldest first: changesets checked in while paging land on later pages, never shift earlier ones.
    Pages.bySkip(calls, calls.organization(), base + "changesets?$orderby=" + encode("id asc")
        + "&searchCriteria.itemPath=" + encode("$/" + project.name()), pageSize, UnaryOperator.identity(), page -> {
          List<String> ids = new ArrayList<>();
          page.forEach(changeset -> ids.add(changeset.path("changesetId").asText()));
          calls.forEach(ids, id -> changeset(base, id, sink));
        });
    JsonNode branches = calls.get(base + "branches?includeChildren=true&includeDeleted=true");
    sink.put(MetadataKind.TFVC_BRANCHES, "branches", document(branches.path("value")));
    labels(project, base, sink);
    sink.omit("tfvcShelvesets", project.id(), SHELVESETS_REASON);
  }

  /** Labels can be moved to other versions, so each is read again with its items every time. */
  private void labels(ProjectRef project, String base, MetadataSink sink) {
    List<JsonNode> labels = new ArrayList<>();
    Pages.bySkip(calls, calls.organization(), base + "labels?requestData.labelScope=" + encode("$/" + project.name()),
        pageSize, UnaryOperator.identity(), page -> page.forEach(labels::add));
    calls.forEach(labels, label -> {
      String id = label.path("id").asText();
      ArrayNode items = AdoJson.JSON.createArrayNode();
      Pages.bySkip(calls, calls.organization(), "_apis/tfvc/labels/" + id + "/items", CHANGES_PAGE,
          UnaryOperator.identity(), page -> page.forEach(items::add));
      ObjectNode doc = AdoJson.JSON.createObjectNode();
      doc.set("label", label);
      doc.set("items", items);
      sink.put(MetadataKind.TFVC_LABEL, id, document(doc));
    });
  }

  /** The project's capabilities say whether it has a TFVC repository (as its only one, or next to git). */
  private boolean usesTfvc(ProjectRef project) {
    JsonNode versionControl = calls.get("_apis/projects/" + encode(project.id()) + "?includeCapabilities=true")
        .path("capabilities").path("versioncontrol");
    return "tfvc".equals(versionControl.path("sourceControlType").asText("").toLowerCase(Locale.ROOT))
        || "true".equals(versionControl.path("tfvcEnabled").asText("").toLowerCase(Locale.ROOT));
  }

  private void changeset(String base, String id, MetadataSink sink) {
    // A changeset with files left out is read again, so that the next snapshot lists them too.
    if (!sink.unchanged(MetadataKind.TFVC_NOT_BACKED_UP, id, incomplete(id))
        && sink.keep(MetadataKind.TFVC_CHANGESET, id)) {
      sink.keepUnder(MetadataKind.TFVC_FILE, id + "/");
      return;
    }
    ObjectNode changeset = (ObjectNode) calls.get(base + "changesets/" + id + "?includeDetails=true"
        + "&includeWorkItems=true&maxCommentLength=" + MAX_COMMENT_LENGTH + "&maxChangeCount=" + INLINE_CHANGES);
    // Most changesets come with all their changes; a larger one pages through them.
    JsonNode inline = changeset.remove("changes");
    ArrayNode changes = AdoJson.JSON.createArrayNode();
    if (changeset.path("hasMoreChanges").asBoolean(false) || inline == null) {
      Pages.bySkip(calls, calls.organization(), "_apis/tfvc/changesets/" + id + "/changes", CHANGES_PAGE,
          UnaryOperator.identity(), page -> page.forEach(changes::add));
    } else {
      inline.forEach(changes::add);
    }
    changeset.remove("hasMoreChanges");
    boolean complete = true;
    for (JsonNode change : changes) {
      complete &= file(base, id, change, sink);
    }
    if (!complete) {
      sink.put(MetadataKind.TFVC_NOT_BACKED_UP, id, incomplete(id));
    }
    ObjectNode doc = AdoJson.JSON.createObjectNode();
    doc.set("changeset", changeset);
    doc.set("changes", changes);
    // Last: a changeset in a snapshot always has its files.
    sink.put(MetadataKind.TFVC_CHANGESET, id, document(doc));
  }

  /** The marker of a changeset with files left out: its number alone, so asking for it needs no read. */
  private static byte[] incomplete(String changesetId) {
    return ("{\"changesetId\":" + changesetId + ",\"filesNotBackedUp\":true}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The file as this changeset left it (deletions and folders have none); one a previous snapshot
   * holds is kept without reading it. Returns false when it was left out.
   */
  private boolean file(String base, String changesetId, JsonNode change, MetadataSink sink) {
    JsonNode item = change.path("item");
    String changeType = change.path("changeType").asText("").toLowerCase(Locale.ROOT);
    String path = item.path("path").asText("");
    if (path.isEmpty() || item.path("isFolder").asBoolean(false) || changeType.contains("delete")) {
      return true;
    }
    String id = changesetId + "/" + path.replaceFirst("^\\$/", "");
    if (sink.keep(MetadataKind.TFVC_FILE, id)) {
      return true;
    }
    long size = item.path("size").asLong(-1);
    if (size > maxFileBytes) {
      sink.omit(MetadataKind.TFVC_FILE.key(), id, "the file is " + size + " bytes, more than the "
          + maxFileBytes + " bytes Bunker backs up of one TFVC file");
      return false;
    }
    // streamed: a file may be larger than memory
    calls.exchange().download(calls.organization(), calls.credential(), base + "items?path="
        + encode(path) + "&versionDescriptor.versionType=changeset&versionDescriptor.version=" + changesetId
        + "&download=true", body -> sink.put(MetadataKind.TFVC_FILE, id, body));
    return true;
  }
}
