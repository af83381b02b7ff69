package dev.bunker.ado.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Team members restored into another organization: those it knows are added, the others reported. */
class TeamMembersRestoreTest extends SandboxMetadataTest {

  TeamMembersRestoreTest() {
    super(2);
  }

  private List<String> members(MetadataSnapshot snapshot, String teamName) throws Exception {
    for (String id : snapshot.entries(MetadataKind.TEAM).keySet()) {
      JsonNode team = JSON.readTree(store.object("org1", snapshot.hash(MetadataKind.TEAM, id).orElseThrow()));
      if (team.path("name").asText().equals(teamName)) {
        List<String> names = new ArrayList<>();
        team.path("members").forEach(m -> names.add(m.path("identity").path("displayName").asText()));
        return names;
      }
    }
    throw new AssertionError("no team " + teamName);
  }

  /** The identity reference a backed-up team gives {@code displayName}. */
  private ObjectNode identity(MetadataSnapshot snapshot, String displayName) throws Exception {
    for (String id : snapshot.entries(MetadataKind.TEAM).keySet()) {
      for (JsonNode member : JSON.readTree(store.object("org1", snapshot.hash(MetadataKind.TEAM, id).orElseThrow()))
          .path("members")) {
        if (member.path("identity").path("displayName").asText().equals(displayName)) {
          return ((ObjectNode) member.path("identity")).deepCopy();
        }
      }
    }
    throw new AssertionError("no team member " + displayName);
  }

  @Test
  void addsTheMembersTheTargetOrganizationKnowsAndReportsTheOthers() throws Exception {
    Project source = sandbox.organization("teams").project("Web");
    source.boards().team("Backend").member("Avery Tester").member("Sam Developer");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("teams-elsewhere").member("Kim Lead").member("Avery Tester")
        .project("Copy");

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).as("Kim Lead leads every new team already").containsEntry("teamMember", 1);
    assertThat(report.unmappedIdentities()).containsExactly("sam.developer@sandbox.example");
    assertThat(report.notes()).anyMatch(n -> n.contains("team members the target organization does not know"))
        .as("the one administrator, Kim Lead, is one already").noneMatch(n -> n.contains("team administrators"));
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    assertThat(members(restored, "Backend")).containsExactlyInAnyOrder("Kim Lead", "Avery Tester");
  }

  @Test
  void addsMembersThroughGraphMembershipsOfTheTeamsGroup() {
    Project source = sandbox.organization("teams-graph").project("Web");
    source.boards().team("Backend").member("Avery Tester");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("teams-graph-elsewhere").member("Kim Lead").member("Avery Tester")
        .project("Copy");
    sandbox.clearRequests();

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).containsEntry("teamMember", 1);
    List<RecordedRequest> adds = sandbox.requests(r -> r.method().equals("PUT")
        && r.path().startsWith("/teams-graph-elsewhere/"));
    assertThat(adds).filteredOn(r -> r.path().contains("/_apis/graph/memberships/")).singleElement()
        .satisfies(r -> {
          assertThat(r.status()).isEqualTo(201);
          assertThat(r.path()).matches(".*/memberships/aad\\.[^/]+/vssgp\\.[^/]+");
          assertThat(r.queryParameter("api-version")).isEqualTo("7.1-preview.1");
        });
    assertThat(adds).noneMatch(r -> r.path().contains("/_apis/identities/"));
  }

  @Test
  void aServerCollectionGetsItsTeamsButNoMembersAndSaysSo() throws Exception {
    Project source = sandbox.organization("teams-to-server").project("Web");
    source.boards().team("Backend").member("Avery Tester");
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.collection("tfs/TeamsCollection").member("Kim Lead").member("Avery Tester")
        .project("Copy");

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).containsEntry("team", 1).doesNotContainKey("teamMember");
    assertThat(report.notes()).anyMatch(n -> n.startsWith("team members were not added: Azure DevOps Server"))
        .noneMatch(n -> n.contains("could not be restored whole"));
    assertThat(members(backup(target, "20260302T010000Z-00000002"), "Backend")).containsExactly("Kim Lead");
  }

  @Test
  void findsSomeoneKnownOnlyByTheirSubjectDescriptor() throws Exception {
    Project source = sandbox.organization("teams-descriptor").project("Web");
    source.boards().team("Backend").member("Avery Tester");
    MetadataSnapshot snapshot = backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("teams-descriptor-elsewhere").member("Avery Tester").project("Copy");
    ObjectNode avery = identity(snapshot, "Avery Tester");
    assertThat(avery.path("descriptor").asText()).startsWith("aad.");
    avery.remove("uniqueName");

    Optional<String> found = new TargetIdentities(client.exchange(), url(target), pat).find(avery);

    assertThat(found).as("an aad. descriptor finds someone only as one of the subjectDescriptors")
        .contains("avery.tester@sandbox.example");
  }
}
