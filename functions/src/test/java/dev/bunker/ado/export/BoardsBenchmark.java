package dev.bunker.ado.export;

import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.restore.AzureDevOpsRestore;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.Boards;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.sandbox.TestPlan;
import dev.bunker.store.blob.InMemoryBlobs;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * REST calls and bytes stored for the boards and project settings of a project: a new project
 * (one team) and one with 11 teams, 40 shared queries, 10 branch policies and 2 test plans; a
 * first run and a run without changes, then a restore of the busy one into an empty project. The
 * difference between the two projects gives the calls per team. Prints numbers; asserts nothing. Not part of the default test run:
 * {@code mvn -B -q -pl functions -am test -Dtest=BoardsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BoardsBenchmark {

  @Test
  void callsPerProjectAndPerTeam() {
    try (AdoSandbox sandbox = AdoSandbox.start()) {
      Project fresh = sandbox.organization("bench").project("Fresh");
      Project busy = sandbox.organization("bench").project("Busy");
      Boards boards = busy.boards();
      for (int t = 1; t <= 10; t++) {
        boards.team("Team " + t).member("Sam Developer").member("Avery Tester").board("Stories").column("Review")
            .swimlane("Expedite");
        boards.team("Team " + t).dashboard("Health").widget("Bugs", "ms.vss-dashboards-web.QueryScalarWidget");
        boards.area("Team " + t + "/Backend");
        boards.iteration("Release " + t + "/Sprint A");
      }
      for (int q = 1; q <= 40; q++) {
        boards.sharedQuery("Folder " + (q % 4) + "/Sub " + (q % 3) + "/Query " + q,
            "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Id] > " + q);
      }
      for (int p = 1; p <= 10; p++) {
        boards.reviewerPolicy(busy.repository("repo-" + p), "refs/heads/main", 2);
      }
      for (int plan = 1; plan <= 2; plan++) {
        TestPlan testPlan = boards.testPlan("Plan " + plan);
        for (int suite = 1; suite <= 5; suite++) {
          TestPlan.Suite s = testPlan.root().suite("Suite " + suite);
          for (int c = 1; c <= 10; c++) {
            s.testCase(c);
          }
        }
      }
      AzureDevOpsClient client = AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).build();
      AzureDevOpsMetadata source = AzureDevOpsMetadata.of(client,
          OrganizationUrl.parse(fresh.organization().url().toString()), Credential.personalAccessToken(sandbox.pat()));
      InMemoryBlobs blobs = TestBlobs.inMemory();
      MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), Clock.systemUTC());

      Map<String, Long> freshFirst = run(sandbox, blobs, "new project (1 team), first run", () -> backup.backup("bench",
          ref(fresh), "20260301T010000Z-00000001", source));
      run(sandbox, blobs, "new project, no changes", () -> backup.backup("bench", ref(fresh),
          "20260302T010000Z-00000002", source));
      Map<String, Long> busyFirst =
          run(sandbox, blobs, "busy project (11 teams), first run", () -> backup.backup("bench",
              ref(busy), "20260301T010000Z-00000001", source));
      run(sandbox, blobs, "busy project, no changes", () -> backup.backup("bench", ref(busy),
          "20260302T010000Z-00000002", source));
      System.out.printf(Locale.ROOT, "calls per additional team: %.1f%n",
          (teamCalls(busyFirst) - teamCalls(freshFirst)) / 10.0);

      Project empty = sandbox.organization("bench").project("Empty");
      sandbox.clearRequests();
      RestoreReport report = new MetadataRestore(new MetadataStore(blobs)).restore("bench", busy.id().toString(),
          "20260302T010000Z-00000002", ref(empty), AzureDevOpsRestore.of(client,
              OrganizationUrl.parse(empty.organization().url().toString()),
              Credential.personalAccessToken(sandbox.pat())));
      Map<String, Long> restoreCalls = new TreeMap<>();
      for (RecordedRequest r : sandbox.requests()) {
        restoreCalls.merge(r.method() + " " + kind(r.path()), 1L, Long::sum);
      }
      System.out.printf(Locale.ROOT, "restore of the busy project into an empty one: %d calls %s%n  created %s%n",
          sandbox.requests().size(), restoreCalls, report.created());
    }
  }

  private static ProjectRef ref(Project project) {
    return new ProjectRef(project.id().toString(), project.name());
  }

  private static long teamCalls(Map<String, Long> byKind) {
    return List.of("teams and members", "team settings", "boards", "dashboards").stream()
        .mapToLong(k -> byKind.getOrDefault(k, 0L)).sum();
  }

  private static Map<String, Long> run(AdoSandbox sandbox, InMemoryBlobs blobs, String name,
      java.util.function.Supplier<MetadataSnapshot> backup) {
    sandbox.clearRequests();
    long bytes = TestBlobs.bytes(blobs);
    MetadataSnapshot snapshot = backup.get();
    Map<String, Long> byKind = new TreeMap<>();
    for (RecordedRequest r : sandbox.requests()) {
      byKind.merge(kind(r.path()), 1L, Long::sum);
    }
    long boardCalls = byKind.entrySet().stream().filter(e -> !e.getKey().startsWith("other"))
        .mapToLong(Map.Entry::getValue).sum();
    System.out.printf(Locale.ROOT, "%-36s %4d boards and settings calls %s%n", name, boardCalls, byKind);
    System.out.printf(Locale.ROOT, "%-36s %4d new objects, %,d bytes stored (with index and manifest), counts %s%n",
        "", snapshot.stats().objectsWritten(), TestBlobs.bytes(blobs) - bytes, snapshot.counts());
    return byKind;
  }

  private static String kind(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.contains("/dashboard/")) {
      return "dashboards";
    }
    if (p.contains("/work/boards")) {
      return "boards";
    }
    if (p.contains("/teamsettings")) {
      return "team settings";
    }
    if (p.contains("/teams")) {
      return "teams and members";
    }
    for (String[] k : new String[][] {{"classificationnodes", "paths"}, {"wit/workitemtypes", "work item types"},
        {"work/processes", "process"}, {"wit/queries", "queries"}, {"policy/configurations", "policies"},
        {"testplan", "test plans"}}) {
      if (p.contains(k[0])) {
        return k[1];
      }
    }
    return "other (pull requests, work items, pipelines)";
  }
}
