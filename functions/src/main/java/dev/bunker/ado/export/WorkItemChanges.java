package dev.bunker.ado.export;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.client.AzureDevOpsException;
import dev.bunker.ado.client.Calls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The work items of a project that changed since a watermark, from the reporting revisions API
 * ({@code _apis/wit/reporting/workitemrevisions}): batches of revisions in the order they were
 * made ({@code $maxPageSize} a batch), each answer with {@code isLastBatch} and the watermark to come
 * back with: in a {@code continuationToken} body field, or only inside {@code nextLink} as most captured
 * answers have it (wit/7.1/httpExamples/workItemRevisions/). Only ids, revisions and deletions are
 * asked for; the exporter reads changed items whole.
 */
final class WorkItemChanges {
  static final int PAGE = 1000;
  private static final String FIELDS = "System.Id,System.Rev,System.IsDeleted";

  /**
   * What changed: work item id to whether its latest reported revision deletes it (moved to the
   * recycle bin), and the watermark to start from next time.
   */
  record Changes(Map<Integer, Boolean> deleted, String watermark) {}

  private final Calls calls;

  WorkItemChanges(Calls calls) {
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
    while (true) {
      JsonNode batch = calls.get(base + "reporting/workitemrevisions?fields=" + FIELDS + "&$maxPageSize=" + PAGE
          + "&" + query);
      for (JsonNode revision : batch.path("values")) {
        JsonNode fields = revision.path("fields");
        int id = revision.path("id").asInt(fields.path("System.Id").asInt());
        deleted.put(id, fields.path("System.IsDeleted").asBoolean(false));
      }
      String watermark = watermark(batch).orElseThrow(() -> new AzureDevOpsException(calls.organization(),
          "the reporting revisions API gave no continuation token, neither in its answer nor in nextLink", null));
      if (batch.path("isLastBatch").asBoolean(true)) {
        return new Changes(deleted, watermark);
      }
      query =
          "continuationToken=" + encode(watermark) + (from.contains("includeDeleted") ? "&includeDeleted=true" : "");
    }
  }

  /**
   * The watermark a batch of the reporting revisions API ends at: its {@code continuationToken} field
   * (schema {@code StreamedBatch}), or else the {@code continuationToken} parameter of its {@code nextLink}.
   */
  static Optional<String> watermark(JsonNode batch) {
    String token = batch.path("continuationToken").asText("");
    if (!token.isEmpty()) {
      return Optional.of(token);
    }
    String link = batch.path("nextLink").asText("");
    for (String parameter : link.substring(link.indexOf('?') + 1).split("&")) {
      int equals = parameter.indexOf('=');
      if (equals > 0 && parameter.substring(0, equals).equalsIgnoreCase("continuationToken")) {
        String value = URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
