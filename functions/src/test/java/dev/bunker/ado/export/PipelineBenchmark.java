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
import dev.bunker.sandbox.Pipelines;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.store.blob.InMemoryBlobs;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * REST calls and bytes stored for the pipelines of a project (40 build definitions, 20 release
 * definitions of 6 revisions, 10 task groups, 8 environments, 5 service connections): a first
 * run, a run without changes and a run after one release definition changed. Prints numbers;
 * asserts nothing. Not part of the default test run:
 * {@code mvn -B -q -pl functions -am test -Dtest=PipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PipelineBenchmark {

  @Test
  void firstNoChangeAndOneChangeRuns() {
    try (AdoSandbox sandbox = AdoSandbox.start()) {
      Project project = sandbox.organization("bench").project("Pipelines");
      Pipelines pipelines = project.pipelines();
      Pipelines.AgentQueue linux = pipelines.queue("Linux");
      for (int i = 1; i <= 10; i++) {
        pipelines.taskGroup("group-" + i);
      }
      for (int i = 1; i <= 40; i++) {
        project.buildDefinition("build-" + i).variable("configuration", "Release").secretVariable("key", "secret");
      }
      for (int i = 1; i <= 20; i++) {
        pipelines.releaseDefinition("release-" + i).variable("channel", "stable").secretVariable("apiKey", "secret")
            .stage("Test", linux, null, null, pipelines.taskGroups().get(i % 10))
            .stage("Production", linux, "password", "secret", pipelines.taskGroups().get((i + 1) % 10))
            .description("Release " + i);
      }
      for (int i = 1; i <= 8; i++) {
        pipelines.environment("environment-" + i).kubernetesResource("namespace-" + i).approval("Kim Lead");
      }
      for (int i = 1; i <= 5; i++) {
        pipelines.serviceConnection("connection-" + i, "azurerm", "ServicePrincipal",
            Map.of("serviceprincipalid", "app-" + i, "serviceprincipalkey", "secret"), List.of("serviceprincipalkey"));
      }
      AzureDevOpsClient client = AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).build();
      AzureDevOpsMetadata source = AzureDevOpsMetadata.of(client,
          OrganizationUrl.parse(project.organization().url().toString()),
          Credential.personalAccessToken(sandbox.pat()));
      InMemoryBlobs blobs = TestBlobs.inMemory();
      MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), Clock.systemUTC());
      ProjectRef ref = new ProjectRef(project.id().toString(), project.name());

      Run first = run(sandbox, blobs, () -> backup.backup("bench", ref, "20260301T010000Z-00000001", source));
      print("first run", first);
      System.out.println("  snapshot counts " + first.snapshot.counts());
      print("no changes", run(sandbox, blobs, () -> backup.backup("bench", ref, "20260302T010000Z-00000002", source)));
      pipelines.releaseDefinitions().get(0).description("Changed");
      print("1 release definition changed",
          run(sandbox, blobs, () -> backup.backup("bench", ref, "20260303T010000Z-00000003", source)));
    }
  }

  private record Run(MetadataSnapshot snapshot, long calls, Map<String, Long> callsByApi, long bytes) {}

  private static Run run(AdoSandbox sandbox, InMemoryBlobs blobs, Supplier<MetadataSnapshot> backup) {
    sandbox.clearRequests();
    long bytes = TestBlobs.bytes(blobs);
    MetadataSnapshot snapshot = backup.get();
    List<RecordedRequest> requests = sandbox.requests();
    Map<String, Long> byApi = new TreeMap<>();
    for (RecordedRequest r : requests) {
      String api = r.path().toLowerCase(Locale.ROOT).replaceFirst("^.*?/_apis/", "")
          .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}|\\d+", "{id}");
      byApi.merge(api, 1L, Long::sum);
    }
    return new Run(snapshot, requests.size(), byApi, TestBlobs.bytes(blobs) - bytes);
  }

  private static void print(String name, Run run) {
    MetadataSnapshot.Stats stats = run.snapshot.stats();
    System.out.printf(Locale.ROOT, "%-30s %4d REST calls, %d objects (%,d bytes) + %d index chunks + manifest = %,d "
        + "bytes stored%n   %s%n", name, run.calls, stats.objectsWritten(), stats.bytesWritten(),
        stats.indexObjectsWritten(), run.bytes, run.callsByApi);
  }
}
