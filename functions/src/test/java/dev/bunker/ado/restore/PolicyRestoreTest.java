package dev.bunker.ado.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Project;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Branch policies restored into another project, their repositories found by name. */
class PolicyRestoreTest extends SandboxMetadataTest {

  PolicyRestoreTest() {
    super(2);
  }

  @Test
  void restoresBranchPoliciesOntoTheRepositoriesOfTheSameNameSkippingThoseThatExist() throws Exception {
    Project source = sandbox.organization("policies").project("Web");
    HostedRepository site = source.repository("site");
    HostedRepository api = source.repository("api");
    source.boards().reviewerPolicy(site, "refs/heads/main", 2).reviewerPolicy(api, "refs/heads/main", 1)
        .reviewerPolicy(site, "refs/heads/release", 2);
    MetadataSnapshot backedUp = backup(source, "20260301T010000Z-00000001");
    assertThat(documents(backedUp, MetadataKind.REPOSITORY)).extracting(r -> r.path("id").asText(),
        r -> r.path("name").asText()).contains(tuple(site.id().toString(), "site"), tuple(api.id().toString(), "api"));
    Project target = sandbox.organization("policies").project("Rebuilt");
    HostedRepository restoredSite = target.repository("site");
    target.boards().reviewerPolicy(restoredSite, "refs/heads/main", 2);

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).containsEntry("policyConfiguration", 1);
    assertThat(report.skipped())
        .anyMatch(n -> n.contains("Minimum number of reviewers") && n.contains("holds the same policy"));
    assertThat(report.notes())
        .anyMatch(n -> n.contains("repository api is not in the target project"))
        .noneMatch(n -> n.contains("policyConfiguration"));
    List<JsonNode> policies = documents(backup(target, "20260302T010000Z-00000002"), MetadataKind.POLICY_CONFIGURATION);
    assertThat(policies).extracting(p -> p.path("settings").path("scope").get(0).path("repositoryId").asText(),
        p -> p.path("settings").path("scope").get(0).path("refName").asText(),
        p -> p.path("settings").path("minimumApproverCount").asInt())
        .containsExactlyInAnyOrder(tuple(restoredSite.id().toString(), "refs/heads/main", 2),
            tuple(restoredSite.id().toString(), "refs/heads/release", 2));
  }

  @Test
  void aPolicyOnARepositoryTheProjectDoesNotHaveIsRefusedAndChangesNothing() throws Exception {
    Project project = sandbox.organization("refusing").project("Web");
    ObjectNode body = JSON.createObjectNode().put("isEnabled", true).put("isBlocking", true);
    body.putObject("type").put("id", "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd");
    body.putObject("settings").put("minimumApproverCount", 1).putArray("scope").addObject()
        .put("refName", "refs/heads/main").put("matchKind", "exact")
        .put("repositoryId", "00000000-0000-0000-0000-00000000abcd");

    assertThatThrownBy(() -> client.exchange().post(url(project), pat,
        project.id() + "/_apis/policy/configurations", body))
        .isInstanceOfSatisfying(AzureDevOpsRequestException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("TF401019");
    assertThat(documents(backup(project, "20260303T010000Z-00000003"), MetadataKind.POLICY_CONFIGURATION)).isEmpty();
  }

  @Test
  void restoresBuildValidationAndRequiredReviewersOntoTheTargetsDefinitionsAndPeople() throws Exception {
    Project source = sandbox.organization("validating").member("Ann Reviewer").member("Cy Gone").project("Web");
    HostedRepository web = source.repository("Web");
    source.boards().buildPolicy(web, "refs/heads/main", source.buildDefinition("CI"))
        .buildPolicy(web, "refs/heads/main", source.buildDefinition("Deploy"))
        .requiredReviewersPolicy(web, "refs/heads/main", "Ann Reviewer", "Cy Gone")
        .requiredReviewersPolicy(web, "refs/heads/release", "Cy Gone");
    MetadataSnapshot backedUp = backup(source, "20260304T010000Z-00000004");
    assertThat(documents(backedUp, MetadataKind.POLICY_CONFIGURATION))
        .flatMap(p -> List.copyOf(p.path("requiredReviewers").findValuesAsText("uniqueName")))
        .containsExactlyInAnyOrder("ann.reviewer@sandbox.example", "cy.gone@sandbox.example",
            "cy.gone@sandbox.example");
    Project target = sandbox.organization("validated").member("Ann Reviewer").project("Rebuilt");
    HostedRepository restoredWeb = target.repository("Web");
    target.buildDefinition("Nightly");
    target.buildDefinition("Docs");
    int deploy = target.buildDefinition("Deploy").id();

    RestoreReport report = new MetadataRestore(store).restore("org1", source.id().toString(),
        "20260304T010000Z-00000004", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.created()).containsEntry("buildDefinition", 1).containsEntry("policyConfiguration", 3);
    assertThat(report.unmappedIdentities()).contains("cy.gone@sandbox.example")
        .doesNotContain("ann.reviewer@sandbox.example");
    assertThat(report.notes())
        .anyMatch(n -> n.contains("Required reviewers") && n.contains("was restored without")
            && n.contains("cy.gone@sandbox.example"))
        .anyMatch(n -> n.contains("Required reviewers") && n.contains("was not restored")
            && n.contains("knows none of its required reviewers"));
    int ci = target.buildDefinition("CI").id();
    List<JsonNode> policies = documents(backup(target, "20260305T010000Z-00000005"), MetadataKind.POLICY_CONFIGURATION);
    assertThat(policies).extracting(p -> p.path("settings").path("scope").get(0).path("repositoryId").asText(),
        p -> p.path("settings").path("buildDefinitionId").asInt(-1),
        p -> p.path("requiredReviewers").findValuesAsText("uniqueName"))
        .containsExactlyInAnyOrder(tuple(restoredWeb.id().toString(), ci, List.of()),
            tuple(restoredWeb.id().toString(), deploy, List.of()),
            tuple(restoredWeb.id().toString(), -1, List.of("ann.reviewer@sandbox.example")));
    // the target organization's identity of Ann (its identities API named her), not the source's
    assertThat(policies).flatMap(p -> List.copyOf(p.path("requiredReviewers").findValuesAsText("id")))
        .doesNotContainAnyElementsOf(documents(backedUp, MetadataKind.POLICY_CONFIGURATION).stream()
            .flatMap(p -> p.path("requiredReviewers").findValuesAsText("id").stream()).toList());
  }

  @Test
  void aPolicyNamingABuildDefinitionOrReviewerTheTargetLacksIsRefusedAndChangesNothing() throws Exception {
    Project project = sandbox.organization("refusing-ids").member("Ann Reviewer").project("Web");
    HostedRepository web = project.repository("Web");
    for (String settings : List.of("{\"buildDefinitionId\": 42}",
        "{\"requiredReviewerIds\": [\"00000000-0000-0000-0000-00000000abcd\"]}")) {
      ObjectNode body = JSON.createObjectNode().put("isEnabled", true).put("isBlocking", true);
      body.putObject("type").put("id", "0609b952-1397-4640-95ec-e00a01b2c241");
      body.set("settings", JSON.readTree(settings));
      ((ObjectNode) body.path("settings")).putArray("scope").addObject().put("refName", "refs/heads/main")
          .put("matchKind", "exact").put("repositoryId", web.id().toString());

      assertThatThrownBy(() -> client.exchange().post(url(project), pat,
          project.id() + "/_apis/policy/configurations", body))
          .isInstanceOfSatisfying(AzureDevOpsRequestException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
    assertThat(documents(backup(project, "20260306T010000Z-00000006"), MetadataKind.POLICY_CONFIGURATION)).isEmpty();
  }
}
