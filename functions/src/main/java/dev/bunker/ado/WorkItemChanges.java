package dev.bunker.ado;

import static dev.bunker.ado.AzureDevOpsMetadata.encode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The work items of a project that changed since a watermark, from the reporting revisions API
 * ({@code _apis/wit/reporting/workitemrevisions}): batches of revisions in the order they were
 * made, each answer with the {@code continuationToken} to come back with and {@code isLastBatch}.
 * Only ids, revisions and deletions are asked for; the exporter reads changed items whole.
 */
final class WorkItemChanges {
  static final int PAGE = 1000;
  private static final String FIELDS = "System.Id,System.Rev,System.IsDeleted";

  /**
   * What changed: work item id to whether its latest reported revision deletes it (moved to the
   * recycle bin), and the watermark to start from next time.
   */
  record Changes(Map<Integer, Boolean> deleted, String watermark) {}

  private final AzureDevOpsMetadata.Calls calls;

  WorkItemChanges(AzureDevOpsMetadata.Calls calls) {
    this.calls = calls;
  }

  /** The changes after {@code watermark}. */
  Changes since(String base, String watermark) {
    return read(base, "continuationToken=" + encode(watermark) + "&includeDeleted=true");
  }

  /**
   * The watermark of now: revisions made from {@code instant} on (a first run reads everything by
   * WIQL; what changes while it reads is read again by the next run).
   */
  String watermarkAt(String base, java.time.Instant instant) {
    return read(base, "startDateTime=" + encode(instant.toString())).watermark();
  }

  private Changes read(String base, String from) {
    Map<Integer, Boolean> deleted = new TreeMap<>();
    String query = from;
    String watermark;
    while (true) {
      JsonNode batch = calls.get(base + "reporting/workitemrevisions?fields=" + FIELDS + "&maxPageSize=" + PAGE
          + "&" + query);
      for (JsonNode revision : batch.path("values")) {
        JsonNode fields = revision.path("fields");
        int id = revision.path("id").asInt(fields.path("System.Id").asInt());
        deleted.put(id, fields.path("System.IsDeleted").asBoolean(false));
      }
      watermark = batch.path("continuationToken").asText("");
      if (watermark.isEmpty()) {
        throw new AzureDevOpsException(calls.organization(), "the reporting revisions API gave no continuation token",
            null);
      }
      if (batch.path("isLastBatch").asBoolean(true)) {
        return new Changes(deleted, watermark);
      }
      query = "continuationToken=" + encode(watermark) + (from.contains("includeDeleted") ? "&includeDeleted=true" : "");
    }
  }
}
