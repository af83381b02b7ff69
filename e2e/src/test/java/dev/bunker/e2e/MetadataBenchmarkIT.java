package dev.bunker.e2e;

import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a timed test: prints numbers ({@code mvn -pl e2e -am verify -Pe2e-bench -Dit.test=MetadataBenchmarkIT}).
 * Issue 9's demo project ({@link MetadataDemo}: 21,000 work items, pull requests, pipelines, LFS)
 * backed up in full under devhost, then again without changes: the REST calls the sandbox
 * answered and the bytes each run stored (metadata objects, index chunks and manifest; git packs;
 * LFS objects), with the no-change run as a share of the first.
 */
@ExtendWith(Stack.Extension.class)
@Tag("benchmark")
class MetadataBenchmarkIT {

  @Test
  void demoProjectFullThenWithoutChanges(Stack stack) {
    MetadataDemo demo = new MetadataDemo(stack.sandbox.organization("metadata-bench"));
    String projectId = demo.project.id().toString();
    String id = stack.api.registerWithPat(demo.organization.url().toString(), stack.newPat(), null).get("id").asText();

    stack.sandbox.clearRequests();
    long lfsBefore = lfsBytes(stack, id);
    long started = System.nanoTime();
    JsonNode first = stack.api.backUpNow(id, MetadataDemo.RUN_TIMEOUT);
    long firstNanos = System.nanoTime() - started;
    Map<String, Long> firstCalls = demo.restCalls(stack.sandbox.requests());
    JsonNode firstSnapshot = MetadataDemo.snapshots(stack.api, id, projectId).get(0);
    long firstLfs = lfsBytes(stack, id) - lfsBefore;

    stack.sandbox.clearRequests();
    started = System.nanoTime();
    JsonNode again = stack.api.backUpNow(id, MetadataDemo.RUN_TIMEOUT);
    long againNanos = System.nanoTime() - started;
    Map<String, Long> againCalls = demo.restCalls(stack.sandbox.requests());
    JsonNode againSnapshot = MetadataDemo.snapshots(stack.api, id, projectId).get(0);
    long againLfs = lfsBytes(stack, id) - lfsBefore - firstLfs;

    System.out.printf("%n=== Bunker metadata benchmark: one project, %d work items, under devhost ===%n",
        MetadataDemo.WORK_ITEMS);
    print("first run", first, firstNanos, firstCalls, firstSnapshot, firstLfs);
    print("no-change run", again, againNanos, againCalls, againSnapshot, againLfs);
    long firstStored = stored(firstSnapshot) + packBytes(first) + firstLfs;
    long againStored = stored(againSnapshot) + packBytes(again) + againLfs;
    System.out.printf("no-change run / first run: REST calls %.4f, bytes stored %.4f%n",
        (double) MetadataDemo.total(againCalls) / MetadataDemo.total(firstCalls), (double) againStored / firstStored);
  }

  private static void print(String what, JsonNode run, long nanos, Map<String, Long> calls, JsonNode snapshot,
      long lfs) {
    JsonNode stats = snapshot.path("stats");
    System.out.printf("%s: %s in %.1f s; %d REST calls%n", what, run.path("status").asText(), nanos / 1e9,
        MetadataDemo.total(calls));
    System.out.printf("  REST calls by resource: %s%n", calls);
    System.out.printf("  metadata stored: %d objects, %d bytes; %d index chunks, %d bytes; manifest %d bytes "
        + "(total %d bytes)%n", stats.path("objectsWritten").asLong(), stats.path("bytesWritten").asLong(),
        stats.path("indexObjectsWritten").asLong(), stats.path("indexBytesWritten").asLong(),
        stats.path("manifestBytes").asLong(), stored(snapshot));
    System.out.printf("  git packs stored: %d bytes; LFS objects stored: %d bytes%n", packBytes(run), lfs);
    System.out.printf("  documents in the snapshot: %s%n", snapshot.path("counts"));
  }

  private static long stored(JsonNode snapshot) {
    JsonNode stats = snapshot.path("stats");
    return stats.path("bytesWritten").asLong() + stats.path("indexBytesWritten").asLong()
        + stats.path("manifestBytes").asLong();
  }

  private static long packBytes(JsonNode run) {
    long total = 0;
    for (JsonNode result : Sources.repositoryResults(run)) {
      total += result.path("packBytesAdded").asLong();
    }
    return total;
  }

  private static long lfsBytes(Stack stack, String organizationId) {
    return stack.backups().listBlobs(new ListBlobsOptions().setPrefix("orgs/" + organizationId + "/lfs/"), null)
        .stream().mapToLong(blob -> blob.getProperties().getContentLength()).sum();
  }
}
