package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.OrganizationUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every revision of a project's work items, read for a first run from the reporting revisions API
 * ({@code $expand=fields&includeIdentityRef=true}, {@value #PAGE} revisions a call) instead of one
 * revisions call per work item. The API lists revisions in the order they were made, so one work
 * item's revisions may be spread over many batches: each revision is written to a temporary file as
 * it arrives and only its position is kept in memory (two longs a revision), so the heap holds one
 * batch, not the project's history.
 *
 * <p>That API has no relations (wit/7.1/workItemTracking.json Read Reporting Revisions Get has no
 * such parameter), so its revisions stand in for the work item's own ({@code revisions?$expand=all})
 * only where there is no link or attachment history to lose: a work item any of whose revisions counts
 * a relation ({@link #RELATION_COUNTS}), or whose identity fields do not come back as the references
 * the work item APIs give, is left to the per-item read.
 */
final class WorkItemRevisionSpool implements AutoCloseable {
  static final int PAGE = 1000;
  /** The fields that count a revision's relations (wit/7.1/httpExamples/fields/GET__wit_fields.json). */
  static final List<String> RELATION_COUNTS = List.of("System.RelatedLinkCount", "System.ExternalLinkCount",
      "System.HyperLinkCount", "System.RemoteLinkCount", "System.AttachedFileCount");
  /** Identity fields of every process, to tell a name string from an identity reference. */
  private static final List<String> IDENTITY_FIELDS = List.of("System.CreatedBy", "System.ChangedBy",
      "System.AssignedTo", "System.AuthorizedAs");

  private final Path file;
  private final FileChannel channel;
  /** Work item id to the positions (offset, length, rev) of its revisions in the file, in the order read. */
  private final Map<Integer, Positions> positions = new HashMap<>();
  /** Work items whose revisions here do not stand in for their own revisions API's. */
  private final Set<Integer> perItem = new HashSet<>();
  /** Where the work item revisions API of the project is, for each revision's {@code url}. */
  private final String revisionsUrl;
  private long end;

  private WorkItemRevisionSpool(String revisionsUrl) throws IOException {
    this.revisionsUrl = revisionsUrl;
    file = Files.createTempFile("bunker-revisions", ".json");
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
  }

  /**
   * Reads every revision of the project at {@code base} ({@code <project>/_apis/wit/}), or nothing
   * when Azure DevOps refuses the reporting API (the caller then reads revisions per work item).
   */
  static Optional<WorkItemRevisionSpool> read(Calls calls, String base) {
    WorkItemRevisionSpool spool;
    try {
      spool = new WorkItemRevisionSpool(calls.organization().uri() + "/" + base + "workItems/");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file for work item revisions", e);
    }
    try {
      String query = "";
      while (true) {
        JsonNode batch = calls.get(base + "reporting/workitemrevisions?$expand=fields&includeIdentityRef=true"
            + "&$maxPageSize=" + PAGE + query);
        for (JsonNode revision : batch.path("values")) {
          spool.add(revision);
        }
        Optional<String> token = WorkItemChanges.watermark(batch);
        // without a way on, what is not here yet is read per work item (revisions() says so)
        if (batch.path("isLastBatch").asBoolean(true) || token.isEmpty()
            || query.equals("&continuationToken=" + OrganizationUrl.encode(token.get()))) {
          return Optional.of(spool);
        }
        query = "&continuationToken=" + OrganizationUrl.encode(token.get());
      }
    } catch (AzureDevOpsRequestException e) {
      spool.close();
      return Optional.empty();
    } catch (RuntimeException e) {
      spool.close();
      throw e;
    }
  }

  private void add(JsonNode revision) {
    JsonNode fields = revision.path("fields");
    int id = revision.path("id").asInt(fields.path("System.Id").asInt());
    int rev = revision.path("rev").asInt(fields.path("System.Rev").asInt());
    if (!standsIn(fields)) {
      perItem.add(id);
    }
    if (!revision.has("url") && revision.isObject()) {
      // as the work item's revisions API has it (wit/7.1/httpExamples/revisions/GET__list_workitem_revisions.json)
      ((ObjectNode) revision).put("url", revisionsUrl + id + "/revisions/" + rev);
    }
    byte[] bytes = document(revision);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer, end + buffer.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write work item revisions to a temporary file", e);
    }
    positions.computeIfAbsent(id, k -> new Positions()).add(end, bytes.length, rev);
    end += bytes.length;
  }

  /** Whether a revision with these fields is all the work item's own revisions API would say of it. */
  private static boolean standsIn(JsonNode fields) {
    for (String count : RELATION_COUNTS) {
      if (fields.path(count).asInt(0) != 0) {
        return false;
      }
    }
    for (String identity : IDENTITY_FIELDS) {
      JsonNode value = fields.path(identity);
      // a name string, or the bare {id, uniqueName} of the api-version 2.0 capture
      if (value.isTextual() || value.isObject() && !value.has("displayName")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Revisions 1 to {@code rev} of work item {@code id} in order, or nothing when the spool does not
   * hold exactly those (the item changed after the spool was read, or the API left some out) or they
   * would lose what the work item's own revisions API has (its relation history).
   */
  Optional<ArrayNode> revisions(int id, int rev) {
    Positions at = positions.get(id);
    if (at == null || at.count != rev || perItem.contains(id)) {
      return Optional.empty();
    }
    ArrayNode all = AdoJson.JSON.createArrayNode();
    for (int i = 0; i < at.count; i++) {
      if (at.values[3 * i + 2] != i + 1) {
        return Optional.empty();
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) at.values[3 * i + 1]);
      long offset = at.values[3 * i];
      try {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, offset + buffer.position()) < 0) {
            throw new IOException("the temporary revisions file ended early");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read work item revisions from a temporary file", e);
      }
      all.add(AdoJson.json(buffer.array()));
    }
    return Optional.of(all);
  }

  @Override
  public void close() {
    try {
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary revisions file " + file, e);
    }
  }

  private static final class Positions {
    private long[] values = new long[9];
    private int count;

    void add(long offset, int length, int rev) {
      if (3 * count == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[3 * count] = offset;
      values[3 * count + 1] = length;
      values[3 * count + 2] = rev;
      count++;
    }
  }
}
