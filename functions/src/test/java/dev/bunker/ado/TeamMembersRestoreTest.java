package dev.bunker.ado;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.sandbox.Project;
import java.util.ArrayList;
import java.util.List;
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
        .anyMatch(n -> n.contains("team administrators"));
    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    assertThat(members(restored, "Backend")).containsExactlyInAnyOrder("Kim Lead", "Avery Tester");
  }
}
