package dev.bunker.ado;

import static dev.bunker.ado.AzureDevOpsMetadata.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every revision of a project's work items, read for a first run from the reporting revisions API
 * ({@code $expand=fields&includeRelations=true}, {@value #PAGE} revisions a call) instead of one
 * revisions call per work item. The API lists revisions in the order they were made, so one work
 * item's revisions may be spread over many batches: each revision is written to a temporary file as
 * it arrives and only its position is kept in memory (two longs a revision), so the heap holds one
 * batch, not the project's history.
 */
final class WorkItemRevisionSpool implements AutoCloseable {
  static final int PAGE = 1000;

  private final Path file;
  private final FileChannel channel;
  /** Work item id to the positions (offset, length, rev) of its revisions in the file, in the order read. */
  private final Map<Integer, Positions> positions = new HashMap<>();
  private long end;

  private WorkItemRevisionSpool() throws IOException {
    file = Files.createTempFile("bunker-revisions", ".json");
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
  }

  /**
   * Reads every revision of the project at {@code base} ({@code <project>/_apis/wit/}), or nothing
   * when Azure DevOps refuses the reporting API (the caller then reads revisions per work item).
   */
  static Optional<WorkItemRevisionSpool> read(AzureDevOpsMetadata.Calls calls, String base) {
    WorkItemRevisionSpool spool;
    try {
      spool = new WorkItemRevisionSpool();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file for work item revisions", e);
    }
    try {
      String query = "";
      while (true) {
        JsonNode batch = calls.get(base + "reporting/workitemrevisions?$expand=fields&includeRelations=true"
            + "&maxPageSize=" + PAGE + query);
        for (JsonNode revision : batch.path("values")) {
          spool.add(revision);
        }
        String token = batch.path("continuationToken").asText("");
        if (batch.path("isLastBatch").asBoolean(true) || token.isEmpty()) {
          return Optional.of(spool);
        }
        query = "&continuationToken=" + AzureDevOpsMetadata.encode(token);
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
    int id = revision.path("id").asInt(revision.path("fields").path("System.Id").asInt());
    byte[] bytes = document(revision);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer, end + buffer.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write work item revisions to a temporary file", e);
    }
    positions.computeIfAbsent(id, k -> new Positions()).add(end, bytes.length,
        revision.path("rev").asInt(revision.path("fields").path("System.Rev").asInt()));
    end += bytes.length;
  }

  /**
   * Revisions 1 to {@code rev} of work item {@code id} in order, or nothing when the spool does not
   * hold exactly those (the item changed after the spool was read, or the API left some out).
   */
  Optional<ArrayNode> revisions(int id, int rev) {
    Positions at = positions.get(id);
    if (at == null || at.count != rev) {
      return Optional.empty();
    }
    ArrayNode all = AzureDevOpsMetadata.JSON.createArrayNode();
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
      all.add(AzureDevOpsMetadata.json(buffer.array()));
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
