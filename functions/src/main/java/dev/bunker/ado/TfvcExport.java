package dev.bunker.ado;

import static dev.bunker.ado.AzureDevOpsMetadata.document;
import static dev.bunker.ado.AzureDevOpsMetadata.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A project's Team Foundation Version Control history: every changeset with all its changes, and
 * every file as each changeset left it, stored by content (a file unchanged across renames or
 * branches costs nothing more). Git does not hold any of it, so a TFVC project is never skipped
 * silently: a project whose capabilities say TFVC gets this, or an error saying why not.
 *
 * <p>Checked-in changesets never change: one in the previous snapshot is kept with its files and
 * not read again, so a run with no new check-ins lists changesets and reads nothing else. Files
 * are read whole (one at a time per worker thread): a file larger than {@code maxFileBytes} is
 * listed as not backed up rather than risk the worker's memory.
 */
final class TfvcExport {

  static final int CHANGES_PAGE = 1000;
  /** Enough for any comment Azure DevOps stores (lists otherwise cut comments to 80 characters). */
  static final int MAX_COMMENT_LENGTH = 100_000;

  private final AzureDevOpsMetadata.Calls calls;
  private final int pageSize;
  private final long maxFileBytes;

  TfvcExport(AzureDevOpsMetadata.Calls calls, int pageSize, long maxFileBytes) {
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
  }

  /** The project's capabilities say whether it has a TFVC repository (as its only one, or next to git). */
  private boolean usesTfvc(ProjectRef project) {
    JsonNode versionControl = calls.get("_apis/projects/" + encode(project.id()) + "?includeCapabilities=true")
        .path("capabilities").path("versioncontrol");
    return "tfvc".equals(versionControl.path("sourceControlType").asText("").toLowerCase(Locale.ROOT))
        || "true".equals(versionControl.path("tfvcEnabled").asText("").toLowerCase(Locale.ROOT));
  }

  private void changeset(String base, String id, MetadataSink sink) {
    if (sink.keep(MetadataKind.TFVC_CHANGESET, id)) {
      sink.keepUnder(MetadataKind.TFVC_FILE, id + "/");
      return;
    }
    JsonNode changeset = calls.get(base + "changesets/" + id + "?includeDetails=true&includeWorkItems=true"
        + "&maxCommentLength=" + MAX_COMMENT_LENGTH);
    ArrayNode changes = AzureDevOpsMetadata.JSON.createArrayNode();
    Pages.bySkip(calls, calls.organization(), "_apis/tfvc/changesets/" + id + "/changes", CHANGES_PAGE,
        UnaryOperator.identity(), page -> page.forEach(changes::add));
    for (JsonNode change : changes) {
      file(base, id, change, sink);
    }
    ObjectNode doc = AzureDevOpsMetadata.JSON.createObjectNode();
    doc.set("changeset", changeset);
    doc.set("changes", changes);
    // Last: a changeset in a snapshot always has its files.
    sink.put(MetadataKind.TFVC_CHANGESET, id, document(doc));
  }

  /** The file as this changeset left it; deletions and folders have no content. */
  private void file(String base, String changesetId, JsonNode change, MetadataSink sink) {
    JsonNode item = change.path("item");
    String changeType = change.path("changeType").asText("").toLowerCase(Locale.ROOT);
    String path = item.path("path").asText("");
    if (path.isEmpty() || item.path("isFolder").asBoolean(false) || changeType.contains("delete")) {
      return;
    }
    String id = changesetId + "/" + path.replaceFirst("^\\$/", "");
    long size = item.path("size").asLong(-1);
    if (size > maxFileBytes) {
      sink.omit(MetadataKind.TFVC_FILE.key(), id, "the file is " + size + " bytes, more than the "
          + maxFileBytes + " bytes Bunker reads into memory at once");
      return;
    }
    byte[] content = calls.exchange().download(calls.organization(), calls.credential(), base + "items?path="
        + encode(path) + "&versionDescriptor.versionType=changeset&versionDescriptor.version=" + changesetId
        + "&download=true").bytes();
    sink.put(MetadataKind.TFVC_FILE, id, content);
  }
}
