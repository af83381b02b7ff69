package dev.bunker.ado.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restoring a metadata snapshot into an empty sandbox project, checked by backing that project up. */
class AzureDevOpsRestoreTest extends SandboxMetadataTest {

  AzureDevOpsRestoreTest() {
    super(100);
  }

  @Test
  void restoresDefinitionsAndWorkItemsIntoAnEmptyProject() throws Exception {
    Project source = sandbox.organization("restore").project("Web").workItems(45);
    source.workItems().get(3).comment("Kim Lead", "Seen again in production");
    source.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "s1gn-me");
    source.buildDefinition("nightly").yamlFilename("nightly.yml");
    MetadataSnapshot backedUp = backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("restore").project("Empty");
    target.repository("Web");
    sandbox.faults().throttleNext(1, Duration.ofSeconds(2));

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", new ProjectRef(target.id().toString(), target.name()),
        AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).containsEntry("workItem", 45).containsEntry("buildDefinition", 2);
    assertThat(report.notes()).anyMatch(n -> n.contains("signingKey") && n.contains("set it again"))
        .anyMatch(n -> n.contains("people fields")).anyMatch(n -> n.contains("history"));
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    assertThat(restored.counts()).containsEntry("workItem", 45).containsEntry("buildDefinition", 2)
        .containsEntry("attachment", 1);
    for (Map.Entry<String, String> ids : report.workItemIds().entrySet()) {
      JsonNode before = document(backedUp, MetadataKind.WORK_ITEM, ids.getKey()).path("fields");
      JsonNode after = document(restored, MetadataKind.WORK_ITEM, ids.getValue()).path("fields");
      for (String field : List.of("System.WorkItemType", "System.Title", "System.State", "System.Description",
          "System.Tags", "Microsoft.VSTS.Common.Priority", "System.CreatedDate")) {
        assertThat(after.path(field)).as(field + " of work item " + ids.getKey()).isEqualTo(before.path(field));
      }
    }
    String parentOf7 = report.workItemIds().get("7");
    JsonNode task8 = document(restored, MetadataKind.WORK_ITEM, report.workItemIds().get("8"));
    assertThat(task8.path("relations").findValuesAsText("url")).anyMatch(u -> u.endsWith("/workItems/" + parentOf7));
    String attachmentId = restored.entries(MetadataKind.ATTACHMENT).keySet().iterator().next();
    assertThat(restored.hash(MetadataKind.ATTACHMENT, attachmentId))
        .isEqualTo(backedUp.entries(MetadataKind.ATTACHMENT).values().stream().findFirst());
    JsonNode comments = document(restored, MetadataKind.WORK_ITEM_COMMENTS, report.workItemIds().get("3"));
    assertThat(comments.path("comments").findValuesAsText("text"))
        .anyMatch(t -> t.contains("Originally by Kim Lead") && t.contains("Seen again in production"));
    JsonNode ci = document(restored, MetadataKind.BUILD_DEFINITION, "1");
    assertThat(ci.path("variables").path("configuration").path("value").asText()).isEqualTo("Release");
    assertThat(document(restored, MetadataKind.BUILD_DEFINITION, "2").path("process").path("yamlFilename").asText())
        .isEqualTo("nightly.yml");
    assertThat(new String(JSON.writeValueAsBytes(report), StandardCharsets.UTF_8)).doesNotContain("s1gn-me");
  }

  @Test
  void restoresCommentsIntoServer2019ThroughTheHistoryFieldWithTheirAuthorAndDate() throws Exception {
    Organization server2019 = sandbox.collection("comments2019/DefaultCollection").maxApiVersion("5.0");
    Project source = server2019.project("Web");
    String id = Integer.toString(source.workItems().create("Bug", "Discussed")
        .comment("Kim Lead", "First thoughts").comment("Sam Developer", "Second thoughts").id());
    MetadataSnapshot backedUp = backup(source, "20260301T010000Z-00000001");
    JsonNode original = document(backedUp, MetadataKind.WORK_ITEM_COMMENTS, id).path("comments");
    Project target = server2019.project("Copy");
    sandbox.clearRequests();

    RestoreReport report = restore(source, "20260301T010000Z-00000001", target);

    assertThat(report.created()).containsEntry("workItemComment", 2);
    assertThat(sandbox.requests(r -> r.method().equals("POST") && r.path().endsWith("/comments")))
        .as("wit/5.0 has no Comments_Add").isEmpty();
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    JsonNode comments = document(restored, MetadataKind.WORK_ITEM_COMMENTS, report.workItemIds().get(id))
        .path("comments");
    assertThat(comments).extracting(c -> c.path("text").asText()).containsExactly(
        "<p><em>Originally by Kim Lead on " + original.get(0).path("revisedDate").asText() + "</em></p>First thoughts",
        "<p><em>Originally by Sam Developer on " + original.get(1).path("revisedDate").asText()
            + "</em></p>Second thoughts");
  }

  @Test
  void restoresAnAttachmentOver130MegabytesThroughAChunkedUpload(@TempDir Path directory) throws Exception {
    long size = 131L * 1024 * 1024;
    Path video = directory.resolve("launch.mp4");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(video), 64 * 1024)) {
      byte[] line = new byte[4096];
      for (long written = 0; written < size; written += line.length) {
        // letters that change line by line: the in-memory store keeps them compressed, so small
        for (int i = 0; i < line.length; i++) {
          line[i] = (byte) ('a' + (i * 31 + written / line.length) % 26);
        }
        out.write(line);
      }
    }
    Project source = sandbox.organization("large-attachment").project("Media");
    source.workItems().create("Bug", "Video of the crash").attach("launch.mp4", video);
    MetadataSnapshot backedUp = backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("large-attachment").project("Copy");
    sandbox.clearRequests();

    restore(source, "20260301T010000Z-00000001", target);

    List<RecordedRequest> uploads = sandbox.requests(r -> r.path().endsWith("/_apis/wit/attachments")
        || r.method().equals("PUT") && r.path().contains("/_apis/wit/attachments/"));
    assertThat(uploads).filteredOn(r -> r.method().equals("POST")).singleElement()
        .satisfies(start -> assertThat(start.queryParameter("uploadType")).isEqualTo("Chunked"));
    assertThat(uploads).filteredOn(r -> r.method().equals("PUT"))
        .as("131 MiB in chunks of " + WorkItemRestore.UPLOAD_CHUNK + " bytes").hasSize(17)
        .allMatch(chunk -> chunk.status() == 201);
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    assertThat(restored.entries(MetadataKind.ATTACHMENT).values()).as("the same bytes")
        .containsExactlyElementsOf(backedUp.entries(MetadataKind.ATTACHMENT).values());
  }

  @Test
  void restoringTwiceLeavesExistingDefinitionsAlone() {
    Project source = sandbox.organization("twice").project("Web");
    source.buildDefinition("ci");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("twice").project("Copy");
    target.repository("Web");
    ProjectRef ref = new ProjectRef(target.id().toString(), target.name());
    MetadataRestore restore = new MetadataRestore(store);
    restore.restore("org1", source.id().toString(), "20260301T010000Z-00000001", ref,
        AzureDevOpsRestore.of(client, url(target), pat));

    RestoreReport again = restore.restore("org1", source.id().toString(), "20260301T010000Z-00000001", ref,
        AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(again.created()).doesNotContainKey("buildDefinition");
    assertThat(again.skipped()).anyMatch(n -> n.startsWith("build definition ci:"));
  }

  @Test
  void restoringIntoItsOwnProjectMakesAgainOnlyTheWorkItemsNoLongerThere() {
    Project source = sandbox.organization("own-project").project("Web").workItems(12);
    backup(source, "20260301T010000Z-00000001");
    source.workItems().delete(5);

    RestoreReport report = restore(source, "20260301T010000Z-00000001", source);

    assertThat(report.created()).containsEntry("workItem", 1);
    assertThat(report.workItemIds()).containsEntry("4", "4").doesNotContainEntry("5", "5").hasSize(12);
    assertThat(report.skipped()).anyMatch(s -> s.startsWith("work items 1, 2, 3, 4, 6,") && s.contains("(11)")
        && s.contains("the snapshot's own"));
    assertThat(source.workItems().count()).isEqualTo(12);
  }

  @Test
  void peopleTheTargetOrganizationKnowsStayAndOthersBecomeTheRestoringAccount() throws Exception {
    Project source = sandbox.organization("people").project("Web").workItems(12);
    source.workItems().get(3).assign("Kim Lead");
    source.workItems().get(4).assign("Avery Tester");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("people-elsewhere").member("Avery Tester").project("Copy");

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", new ProjectRef(target.id().toString(), target.name()),
        AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.unmappedIdentities()).as("Kim, and who changed 3 and 4 in the source")
        .containsExactly("kim.lead@sandbox.example", "sandbox.user@sandbox.example");
    assertThat(report.notes()).anyMatch(n -> n.contains("people fields") && n.contains("restoring account"));
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    JsonNode four = document(restored, MetadataKind.WORK_ITEM, report.workItemIds().get("4")).path("fields");
    assertThat(four.path("System.AssignedTo").path("uniqueName").asText()).isEqualTo("avery.tester@sandbox.example");
    assertThat(four.path("System.CreatedBy").path("displayName").asText()).isEqualTo("Avery Tester");
    JsonNode three = document(restored, MetadataKind.WORK_ITEM, report.workItemIds().get("3")).path("fields");
    assertThat(three.has("System.AssignedTo")).as("left to Azure DevOps: the restoring account").isFalse();
  }
}
