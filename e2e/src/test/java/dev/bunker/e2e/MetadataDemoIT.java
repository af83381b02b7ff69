package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Project;
import dev.bunker.testing.Sha256;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9's demo through the wired app: a project of 21,000 work items (with revisions, comments
 * and attachments), pull requests in every state, pipelines and LFS files is backed up in full;
 * a second run after a few changes stores only those; the repository (with its LFS objects) and
 * then the definitions and work items are restored into an empty project.
 */
@ExtendWith(Stack.Extension.class)
class MetadataDemoIT {
  private static final Set<String> FINISHED = Set.of("succeeded", "failed");

  @Test
  void backsUpALargeProjectThenOnlyItsChangesAndRestoresItIntoAnEmptyProject(Stack stack) throws Exception {
    MetadataDemo demo = new MetadataDemo(stack.sandbox.organization("metadata-demo"));
    String projectId = demo.project.id().toString();
    String id = stack.api.registerWithPat(demo.organization.url().toString(), stack.newPat(), null).get("id").asText();

    long started = System.nanoTime();
    JsonNode first = stack.api.backUpNow(id, MetadataDemo.RUN_TIMEOUT);
    System.out.printf("metadata demo: first run %.1f s%n", (System.nanoTime() - started) / 1e9);
    assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("succeeded");
    JsonNode full = MetadataDemo.snapshots(stack.api, id, projectId).get(0);
    assertThat(full.path("counts").path("workItem").asInt()).isEqualTo(MetadataDemo.WORK_ITEMS);
    assertThat(full.path("counts").path("workItemRevisions").asInt()).isEqualTo(MetadataDemo.WORK_ITEMS * 2 / 3);
    assertThat(full.path("counts").path("attachment").asInt()).isEqualTo(MetadataDemo.WORK_ITEMS / 40);
    assertThat(full.path("counts").path("pullRequest").asInt()).isEqualTo(12);
    assertThat(full.path("counts").path("pullRequestThreads").asInt()).isEqualTo(12);
    assertThat(full.path("counts").path("buildDefinition").asInt()).isEqualTo(2);
    assertThat(full.path("notBackedUp").toString()).contains("signingKey", "dbPassword").doesNotContain("s1gn-me");
    String container = "orgs/" + id + "/lfs/";
    assertThat(stack.backups().getBlobClient(container + Sha256.hex(demo.logo)).getProperties().getBlobSize())
        .isEqualTo(demo.logo.length);

    demo.changeAFewThings();
    stack.sandbox.clearRequests();
    started = System.nanoTime();
    JsonNode second = stack.api.backUpNow(id, MetadataDemo.RUN_TIMEOUT);
    System.out.printf("metadata demo: second run %.1f s%n", (System.nanoTime() - started) / 1e9);
    assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("succeeded");
    Map<String, Long> calls = demo.restCalls(stack.sandbox.requests());
    JsonNode changed = MetadataDemo.snapshots(stack.api, id, projectId).get(0);
    assertThat(changed.path("counts").path("workItem").asInt()).isEqualTo(MetadataDemo.WORK_ITEMS);
    assertThat(changed.path("notBackedUp").toString()).contains("\"id\":\"300\"", "recycle bin");
    // 100: item and revisions; 200: item, revisions, comments; the new bug: item, revisions,
    // attachment; the PR's threads; the watermark: 10 documents, and a few index chunks.
    assertThat(changed.path("stats").path("objectsWritten").asInt()).as(changed.toString()).isEqualTo(10);
    assertThat(changed.path("stats").path("indexObjectsWritten").asInt()).isLessThan(20);
    assertThat(calls).as("no WIQL: the reporting API names what changed")
        .doesNotContainKey("POST /{project}/_apis/wit/wiql")
        .containsEntry("GET /{project}/_apis/wit/reporting/workitemrevisions", 1L);

    String repositoryId = stack.api.repository(id, MetadataDemo.PROJECT, MetadataDemo.PROJECT).get("id").asText();
    String gitSnapshot = Sources.resultOf(second, demo.app).get("snapshotId").asText();
    Project empty = demo.organization.project("Restored");
    JsonNode gitRestore = Api.expect(202, stack.api.post("/api/organizations/" + id + "/restores", Map.of(
        "repositoryId", repositoryId, "snapshotId", gitSnapshot,
        "target", Map.of("project", "Restored", "repository", MetadataDemo.PROJECT, "create", true))));
    JsonNode gitDone = Waiting.until("restore " + gitRestore.get("id"), Duration.ofSeconds(60),
        () -> Api.expect(200, stack.api.get("/api/organizations/" + id + "/restores/" + gitRestore.get("id").asText())),
        status -> FINISHED.contains(status.get("status").asText()));
    assertThat(gitDone.get("status").asText()).as(gitDone.toString()).isEqualTo("succeeded");
    HostedRepository restoredApp = empty.repository(MetadataDemo.PROJECT);
    assertThat(restoredApp.lfsObject(Sha256.hex(demo.manual))).as("LFS objects follow the push")
        .hasValueSatisfying(content -> assertThat(content).isEqualTo(demo.manual));

    started = System.nanoTime();
    JsonNode metadataRestore = Api.expect(202, stack.api.post("/api/organizations/" + id + "/metadata-restores",
        Map.of("projectId", projectId, "snapshotId", changed.get("snapshotId").asText(),
            "target", Map.of("project", "Restored"))));
    JsonNode restored = Waiting.until("metadata restore", Duration.ofMinutes(5),
        () -> Api.expect(200, stack.api.get("/api/organizations/" + id + "/metadata-restores/"
            + metadataRestore.get("id").asText())),
        status -> FINISHED.contains(status.get("status").asText()));
    System.out.printf("metadata demo: restore %.1f s%n", (System.nanoTime() - started) / 1e9);
    assertThat(restored.get("status").asText()).as(restored.toString()).isEqualTo("succeeded");
    assertThat(restored.path("created").path("workItem").asInt()).isEqualTo(MetadataDemo.WORK_ITEMS);
    assertThat(restored.path("created").path("buildDefinition").asInt()).isEqualTo(2);
    assertThat(empty.workItems().count()).isEqualTo(MetadataDemo.WORK_ITEMS);
    assertThat(restored.toString()).doesNotContain("s1gn-me", "hunter2");
  }
}
