package dev.bunker.ado.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.client.Service;
import dev.bunker.ado.export.AzureDevOpsMetadata;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.sandbox.Pipelines;
import dev.bunker.sandbox.Project;
import org.junit.jupiter.api.Test;

/** Release stages' owners and approvers restored into another organization, mapped by who it knows. */
class ReleaseApproversRestoreTest extends SandboxMetadataTest {

  ReleaseApproversRestoreTest() {
    super(2);
  }

  @Test
  void approversTheTargetKnowsStayAndOthersBecomeTheRestoringAccountAndAreReported() {
    Project source = sandbox.organization("approvers").project("Web");
    Pipelines.AgentQueue linux = source.pipelines().queue("Linux agents");
    source.pipelines().releaseDefinition("Deploy").stage("Test", linux, null, null)
        .stage("Production", linux, null, null).approver("Test", "Sam Developer")
        .approver("Production", "Avery Tester");
    new MetadataBackup(store, time).backup("org1", ref(source), "20260301T010000Z-00000001",
        AzureDevOpsMetadata.of(client, url(source), pat));
    Project target = sandbox.organization("approvers-elsewhere").member("Avery Tester").project("Copy");
    target.pipelines().queue("Linux agents");

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).containsEntry("releaseDefinition", 1);
    assertThat(report.unmappedIdentities()).as("Kim owns every stage; Sam approves Test")
        .contains("kim.lead@sandbox.example", "sam.developer@sandbox.example")
        .doesNotContain("avery.tester@sandbox.example");
    assertThat(report.notes()).anyMatch(n -> n.contains("stage Test (approver): sam.developer@sandbox.example")
        && n.contains("restoring account"));
    String restoring = client.connect(url(target), pat).userId();
    String avery = averyId(target);
    JsonNode stages = target.pipelines().releaseDefinitions().get(0).content().path("environments");
    assertThat(stages).extracting(s -> s.path("name").asText(),
        s -> s.path("owner").path("id").asText(),
        s -> s.path("preDeployApprovals").path("approvals").get(0).path("approver").path("id").asText())
        .containsExactly(tuple("Test", restoring, restoring),
            tuple("Production", restoring, avery));
  }

  /** Avery's identity id in {@code target}'s organization (identity ids differ between organizations). */
  private String averyId(Project target) {
    return client.exchange().get(url(target).at(Service.IDENTITY), pat,
        "_apis/identities?searchFilter=General&filterValue=avery.tester@sandbox.example").body()
        .path("value").get(0).path("id").asText();
  }
}
