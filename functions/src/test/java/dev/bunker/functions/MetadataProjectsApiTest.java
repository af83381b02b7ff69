package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.bunker.app.App;
import dev.bunker.core.World;
import dev.bunker.core.model.Organization;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.store.blob.Blobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /organizations/{id}/metadata}: which projects have metadata snapshots, for the console. */
class MetadataProjectsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final World world = new World("2026-05-01T10:00:00Z");
  private final MetadataFunction metadata = new MetadataFunction();

  @BeforeEach
  void wire() {
    App.use(world.bunker);
  }

  @AfterEach
  void unwire() {
    App.reset();
  }

  private JsonNode json(HttpResponseMessage response, int status) throws Exception {
    assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(status);
    return JSON.readTree((String) response.getBody());
  }

  private JsonNode projects(String organizationId) throws Exception {
    return json(metadata.projects(FakeRequest.get("organizations/" + organizationId + "/metadata"), organizationId),
        200);
  }

  private void backUp(Organization organization) {
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
  }

  @Test
  void listsEachProjectWithMetadataWithItsNewestSnapshotAndTheOrganizationFirst() throws Exception {
    world.metadata.project("p-web", "Web");
    world.metadata.project("p-archive", "archive");
    // How the organization-level snapshot is stored: under a reserved project id.
    world.metadata.project(ProjectRef.ORGANIZATION.id(), "contoso");
    Organization organization = world.registerContoso(null);
    backUp(organization);
    world.clock.advance(Duration.ofHours(1));
    backUp(organization);

    JsonNode listed = projects(organization.id());
    assertThat(listed).extracting(p -> p.path("projectName").asText())
        .containsExactly("Organization", "archive", "Web");
    assertThat(listed).extracting(p -> p.path("projectId").asText())
        .containsExactly(ProjectRef.ORGANIZATION.id(), "p-archive", "p-web");
    JsonNode web = listed.get(2);
    assertThat(web.path("snapshots").asInt()).isEqualTo(2);
    JsonNode newest = json(metadata.list(FakeRequest.get("metadata"), organization.id(), "p-web"), 200).get(0);
    assertThat(web.path("latest").path("snapshotId").asText()).isEqualTo(newest.path("snapshotId").asText());
    assertThat(web.path("latest").path("counts").path("workItem").asInt()).isEqualTo(1);
    assertThat(web.path("latest").has("notBackedUp")).isTrue();
  }

  @Test
  void aDamagedManifestIsAServerErrorNamingItsBlob() throws Exception {
    world.metadata.project("p-web", "Web");
    Organization organization = world.registerContoso(null);
    backUp(organization);
    String snapshotId = json(metadata.list(FakeRequest.get("metadata"), organization.id(), "p-web"), 200).get(0)
        .path("snapshotId").asText();
    String manifest = world.metadataBlobs.list("orgs/" + organization.id() + "/meta/snapshots/p-web/").stream()
        .map(blob -> blob.name()).filter(name -> name.endsWith(snapshotId + ".json")).findFirst().orElseThrow();
    world.metadataBlobs.delete(manifest);
    world.metadataBlobs.write(manifest, "{\"format\":1,\"snapshotId\":".getBytes(StandardCharsets.UTF_8),
        Blobs.Condition.ABSENT, null);

    HttpResponseMessage answer = metadata.get(FakeRequest.get("metadata/" + snapshotId), organization.id(), "p-web",
        snapshotId);

    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonNode problem = json(answer, 500);
    assertThat(problem.path("type").asText()).isEqualTo("urn:bunker:problem:corrupt-data");
    assertThat(problem.path("detail").asText()).contains(manifest).contains("not valid JSON");
  }

  @Test
  void anOrganizationWithoutMetadataHasAnEmptyList() throws Exception {
    world.metadata.project("p-web", "Web");
    Organization organization = world.registerContoso(
        new dev.bunker.core.model.PolicyInput(null, null, null, null, null, null, null, false));
    backUp(organization);
    assertThat(projects(organization.id())).isEmpty();
  }

  @Test
  void anUnknownOrganizationIsNotFound() throws Exception {
    JsonNode problem = json(metadata.projects(FakeRequest.get("organizations/nope/metadata"), "nope"), 404);
    assertThat(problem.path("type").asText()).isEqualTo("urn:bunker:problem:not-found");
  }
}
