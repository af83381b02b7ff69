package dev.bunker.ado.export;

import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.store.blob.InMemoryBlobs;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * REST calls and bytes stored for metadata backups of a project with 25,000 work items (more
 * than one WIQL query may return; {@code -DworkItems=N} for another number): a first run, a run
 * without changes, and a run after a few. Prints numbers; asserts nothing. Not part of the default test run:
 * {@code mvn -B -q -pl functions -am test -Dtest=MetadataBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MetadataBenchmark {

  @Test
  void firstNoChangeAndFewChangeRuns() {
    try (AdoSandbox sandbox = AdoSandbox.start()) {
      int workItems = Integer.getInteger("workItems", 25_000);
      Project project = sandbox.organization("bench").project("Big").workItems(workItems);
      HostedRepository site = project.repository("site");
      for (int i = 1; i <= 300; i++) {
        site.pullRequest("Change " + i).description("Details of change " + i + ". ".repeat(i % 5 == 0 ? 300 : 10))
            .status(i % 3 == 0 ? "active" : i % 3 == 1 ? "completed" : "abandoned")
            .reviewer("Sam Developer", i % 2 == 0 ? 10 : -5).thread("Question " + i, "Answer " + i);
      }
      for (int i = 1; i <= 20; i++) {
        project.buildDefinition("pipeline-" + i).variable("configuration", "Release").secretVariable("key", "secret");
      }
      project.variableGroup("shared").variable("region", "westeurope").secret("password", "hunter2");

      AzureDevOpsClient client = AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).build();
      AzureDevOpsMetadata source = AzureDevOpsMetadata.of(client,
          OrganizationUrl.parse(project.organization().url().toString()),
          Credential.personalAccessToken(sandbox.pat()));
      InMemoryBlobs blobs = TestBlobs.inMemory();
      MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), Clock.systemUTC());
      ProjectRef ref = new ProjectRef(project.id().toString(), project.name());

      System.out.println(
          "Metadata backup of " + workItems + " work items (1-3 revisions, comments on 1 in 7, attachments on 1 in"
              + " 40), 300 pull requests, 20 build definitions, 1 variable group");
      Run first = run(sandbox, blobs, () -> backup.backup("bench", ref, "20260301T010000Z-00000001", source));
      print("first run", first);
      System.out.println("  snapshot counts " + first.snapshot.counts());
      Run none = run(sandbox, blobs, () -> backup.backup("bench", ref, "20260302T010000Z-00000002", source));
      print("no changes", none);
      for (int id = 100; id <= 1000; id += 100) {
        project.workItems().get(id).update("System.State", "Resolved");
      }
      site.pullRequests().get(0).thread("A late comment");
      Run few = run(sandbox, blobs, () -> backup.backup("bench", ref, "20260303T010000Z-00000003", source));
      print("10 work items and 1 PR changed", few);
      System.out.printf(Locale.ROOT, "ratios to the first run: no-change calls %.4f, bytes %.4f, time %.3f;"
          + " few-change calls %.4f, bytes %.4f, time %.3f%n",
          (double) none.calls / first.calls, (double) none.bytes / first.bytes, (double) none.millis / first.millis,
          (double) few.calls / first.calls, (double) few.bytes / first.bytes, (double) few.millis / first.millis);
    }
  }

  private record Run(MetadataSnapshot snapshot, long calls, Map<String, Long> callsByKind, long writes, long bytes,
      long millis) {}

  private static Run run(AdoSandbox sandbox, InMemoryBlobs blobs,
      java.util.function.Supplier<MetadataSnapshot> backup) {
    sandbox.clearRequests();
    int writes = TestBlobs.count(blobs);
    long bytes = TestBlobs.bytes(blobs);
    long started = System.nanoTime();
    MetadataSnapshot snapshot = backup.get();
    long millis = (System.nanoTime() - started) / 1_000_000;
    List<RecordedRequest> requests = sandbox.requests();
    Map<String, Long> byKind = new TreeMap<>();
    for (RecordedRequest r : requests) {
      byKind.merge(kind(r.path()), 1L, Long::sum);
    }
    return new Run(snapshot, requests.size(), byKind, TestBlobs.count(blobs) - writes, TestBlobs.bytes(blobs) - bytes,
        millis);
  }

  private static String kind(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith("/threads")) {
      return "pr threads";
    }
    if (p.contains("/pullrequests/") && p.endsWith("/iterations")) {
      return "pr iterations";
    }
    if (p.contains("/pullrequests/")) {
      return "pr";
    }
    for (String k : List.of("pullrequests", "wiql", "workitemsbatch", "reporting", "revisions", "comments",
        "attachments",
        "build/definitions", "variablegroups", "git/repositories", "classificationnodes", "workitemtypes",
        "work/processes", "wit/queries", "policy/configurations", "members", "/teams", "teamsettings", "work/boards",
        "dashboard", "testplan")) {
      if (p.contains(k)) {
        return k;
      }
    }
    return p;
  }

  private static void print(String name, Run run) {
    System.out.printf(Locale.ROOT, "%-32s %6d REST calls %s%n", name, run.calls, run.callsByKind);
    MetadataSnapshot.Stats stats = run.snapshot.stats();
    System.out.printf(Locale.ROOT,
        "%-32s %6d blobs written, %,d bytes (%d objects %,d bytes, %d index chunks %,d bytes,"
            + " manifest %,d bytes), %,d ms%n",
        "", run.writes, run.bytes, stats.objectsWritten(), stats.bytesWritten(),
        stats.indexObjectsWritten(), stats.indexBytesWritten(), stats.manifestBytes(), run.millis);
  }
}
