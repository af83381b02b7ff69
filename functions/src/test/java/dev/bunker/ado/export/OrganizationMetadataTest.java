package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.Omission;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.OrganizationSettings;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.store.blob.InMemoryBlobs;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The organization-scope metadata snapshot of a sandbox organization, over real HTTP with real paging. */
class OrganizationMetadataTest extends SandboxMetadataTest {

  OrganizationMetadataTest() {
    super(3);
  }

  /** The kinds an organization-scope snapshot holds. */
  private static final Set<MetadataKind> ORGANIZATION_KINDS = EnumSet.of(MetadataKind.PROJECT,
      MetadataKind.PROJECT_PROPERTIES, MetadataKind.PROCESS, MetadataKind.USER, MetadataKind.GROUP,
      MetadataKind.GROUP_MEMBERSHIPS, MetadataKind.USER_ENTITLEMENT, MetadataKind.INSTALLED_EXTENSION,
      MetadataKind.AGENT_POOL, MetadataKind.FEED, MetadataKind.FEED_VIEWS, MetadataKind.FEED_PACKAGE);

  /**
   * Two projects (one with a feed of its own), 8 users and 2 groups, paged 3 at a time; extensions,
   * pools, an organization feed with upstreams and 7 packages.
   */
  private static Organization anOrganization(String name) {
    return populated(sandbox.organization(name));
  }

  /** {@link #anOrganization} on an Azure DevOps Server collection speaking {@code apiVersion} at most. */
  private static Organization aCollection(String path, String apiVersion) {
    return populated(sandbox.collection(path).maxApiVersion(apiVersion));
  }

  private static Organization populated(Organization organization) {
    organization.pageSize(3);
    dev.bunker.sandbox.Project web = organization.project("Web");
    dev.bunker.sandbox.Project platform = organization.project("Platform");
    OrganizationSettings settings = organization.settings();
    settings.user("Kim Lead", "express").user("Sam Developer", "express").users(6)
        .group("Web Team", "Kim Lead", "Sam Developer").group("Reviewers", "Web Team", "Generated User 3")
        .extension("ms", "vss-code-search", "1.2.3").extension("sonarsource", "sonarqube", "5.0.1")
        .agentPool("Azure Pipelines", true).agentPool("On-premises", false)
        .projectProperty(web, "Billing.Team", "web");
    settings.feed("shared").upstream("npmjs", "npm", "https://registry.npmjs.org/").packages(7);
    settings.feed("platform-internal", platform).publish("nuget", "Platform.Core", "1.0.0", "1.1.0");
    return organization;
  }

  private AzureDevOpsMetadata source(Organization organization) {
    return AzureDevOpsMetadata.of(client, url(organization), pat, 4, 40);
  }

  private static List<RecordedRequest> restCalls(Organization organization) {
    return sandbox.requests(r -> r.path().startsWith("/" + organization.path() + "/"));
  }

  private static JsonNode json(MetadataStore store, MetadataSnapshot snapshot, MetadataKind kind, String id)
      throws Exception {
    return JSON.readTree(store.object(snapshot.organizationId(), snapshot.hash(kind, id).orElseThrow()));
  }

  @Test
  void backsUpEveryOrganizationLevelKindAcrossPages() throws Exception {
    Organization organization = anOrganization("fabrikam");
    MetadataStore store = new MetadataStore(TestBlobs.inMemory());
    sandbox.faults().throttleNext(1, Duration.ofSeconds(2));

    MetadataSnapshot snapshot = new MetadataBackup(store, time)
        .backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source(organization));

    assertThat(snapshot.projectId()).isEqualTo(ProjectRef.ORGANIZATION.id());
    assertThat(ORGANIZATION_KINDS).allSatisfy(kind -> assertThat(snapshot.count(kind)).as(kind.key()).isPositive());
    assertThat(snapshot.counts()).containsEntry("project", 2).containsEntry("projectProperties", 2)
        .containsEntry("process", 3).containsEntry("user", 8).containsEntry("userEntitlement", 8)
        .containsEntry("group", 2).containsEntry("groupMemberships", 2).containsEntry("installedExtension", 2)
        .containsEntry("agentPool", 3).containsEntry("feed", 2).containsEntry("feedViews", 2)
        .containsEntry("feedPackage", 8);
    String webId = organization.project("Web").id().toString();
    assertThat(json(store, snapshot, MetadataKind.PROJECT, webId).path("capabilities").path("versioncontrol")
        .path("sourceControlType").asText()).isEqualTo("Git");
    assertThat(json(store, snapshot, MetadataKind.PROJECT_PROPERTIES, webId).path("value"))
        .extracting(p -> p.path("name").asText()).contains("Billing.Team");
    JsonNode webTeam = JSON.readTree(store.object("org1", snapshot.entries(MetadataKind.GROUP).entrySet().stream()
        .filter(e -> text(store, e.getValue()).contains("\"Web Team\"")).findFirst().orElseThrow().getValue()));
    assertThat(json(store, snapshot, MetadataKind.GROUP_MEMBERSHIPS, webTeam.path("descriptor").asText())
        .path("members")).hasSize(2);
    assertThat(snapshot.entries(MetadataKind.USER_ENTITLEMENT).values()).map(hash -> text(store, hash))
        .filteredOn(entitlement -> entitlement.contains("Stakeholder")).hasSize(2);
    assertThat(snapshot.entries(MetadataKind.INSTALLED_EXTENSION)).containsKeys("ms.vss-code-search",
        "sonarsource.sonarqube");
    String sharedFeed = organization.settings().feed("shared").id().toString();
    assertThat(json(store, snapshot, MetadataKind.FEED, sharedFeed).path("upstreamSources").get(0).path("location")
        .asText()).isEqualTo("https://registry.npmjs.org/");
    assertThat(json(store, snapshot, MetadataKind.FEED_VIEWS, sharedFeed).path("views")).hasSize(3);
    assertThat(snapshot.entries(MetadataKind.FEED_PACKAGE).values()).map(hash -> text(store, hash))
        .anySatisfy(pkg -> assertThat(pkg).contains("Platform.Core", "1.0.0", "1.1.0"));

    assertThat(snapshot.notBackedUp()).extracting(Omission::kind, Omission::id).containsExactlyInAnyOrder(
        tuple("auditLog", "organization"), tuple("feedPackageFiles", sharedFeed),
        tuple("feedPackageFiles", organization.settings().feed("platform-internal").id().toString()));
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("auditLog")).singleElement()
        .extracting(Omission::reason).asString().contains("90 days");
    assertThat(restCalls(organization)).filteredOn(r -> r.path().endsWith("/_apis/graph/users"))
        .as("8 users, 3 a page").hasSize(3);
    assertThat(restCalls(organization)).filteredOn(r -> r.path().endsWith("/packages"))
        .as("7 + 1 packages, 3 a page, until an empty page").hasSize(4 + 2);
    assertThat(time.sleeps()).contains(Duration.ofSeconds(2));
  }

  @Test
  void aSecondRunWithoutChangesStoresNothingNewAndAChangeStoresOnlyItself() {
    Organization organization = anOrganization("unchanged");
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), time);
    MetadataSnapshot first = backup.backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001",
        source(organization));

    int writes = TestBlobs.count(blobs);
    MetadataSnapshot second = backup.backup("org1", ProjectRef.ORGANIZATION, "20260302T010000Z-00000002",
        source(organization));
    assertThat(TestBlobs.count(blobs) - writes).as("only the manifest").isEqualTo(1);
    assertThat(second.entries()).isEqualTo(first.entries());

    organization.settings().addMember("Reviewers", "Kim Lead");
    MetadataSnapshot third = backup.backup("org1", ProjectRef.ORGANIZATION, "20260303T010000Z-00000003",
        source(organization));
    assertThat(third.stats().objectsWritten()).as("the group's new member list").isEqualTo(1);
  }

  @Test
  void whatCannotBeReadIsListedWithWhyAndTheRestIsBackedUp() {
    Organization organization = anOrganization("restricted");
    organization.settings().auditLogReadable(false);
    organization.maxApiVersion("6.0");
    String leaving = organization.project("Leaving").state("deleting").id().toString();

    MetadataSnapshot snapshot = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source(organization));

    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("auditLog")).singleElement()
        .extracting(Omission::reason).asString().contains("could not be read", "View audit log", "403");
    assertThat(snapshot.count(MetadataKind.USER)).as("preview APIs step down with the server").isEqualTo(8);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("project")).singleElement()
        .satisfies(o -> assertThat(o.id()).isEqualTo(leaving))
        .extracting(Omission::reason).asString().contains("404");
    assertThat(snapshot.count(MetadataKind.PROJECT)).as("the others").isEqualTo(2);
  }

  @Test
  void aServer2019CollectionIsAskedOnlyWhatItHasAtItsVersionsAndTheRestIsListedAsMissing() throws Exception {
    Organization collection = aCollection("tfs/Server2019", "5.0");
    MetadataStore store = new MetadataStore(TestBlobs.inMemory());

    MetadataSnapshot snapshot = new MetadataBackup(store, time)
        .backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source(collection));

    String sharedFeed = collection.settings().feed("shared").id().toString();
    assertThat(snapshot.counts()).containsEntry("project", 2).containsEntry("agentPool", 3)
        .containsEntry("installedExtension", 2).as("5.0 has organization feeds only").containsEntry("feed", 1)
        .containsEntry("feedPackage", 7);
    assertThat(json(store, snapshot, MetadataKind.FEED_VIEWS, sharedFeed).path("views")).hasSize(3);
    assertThat(snapshot.count(MetadataKind.FEED_PERMISSIONS)).isEqualTo(1);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> !o.kind().equals("feedPackageFiles"))
        .extracting(Omission::kind, Omission::id).containsExactlyInAnyOrder(tuple("user", "organization"),
            tuple("group", "organization"), tuple("userEntitlement", "organization"),
            tuple("servicePrincipal", "organization"), tuple("auditLog", "organization"));
    assertThat(snapshot.notBackedUp()).filteredOn(o -> !o.kind().equals("feedPackageFiles"))
        .allSatisfy(o -> assertThat(o.reason())
            .contains("not backed up, because Azure DevOps Server 2019 (api-version 5.0) has no such API"));
    assertThat(restCalls(collection)).as("nothing asked that it lacks or refuses")
        .noneMatch(r -> r.path().contains("/graph/") || r.path().contains("/userentitlements")
            || r.path().contains("/audit/"))
        .filteredOn(r -> !r.query().contains("api-version=7.1")).allMatch(r -> r.status() == 200);
  }

  @Test
  void aServer2020CollectionGetsPreviewFeedsAndProjectFeedsButNoGraphEntitlementsOrAuditLog() {
    Organization collection = aCollection("tfs/Server2020", "6.0");

    MetadataSnapshot snapshot = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source(collection));

    assertThat(snapshot.counts()).containsEntry("project", 2).containsEntry("feed", 2).containsEntry("feedViews", 2)
        .containsEntry("feedPackage", 8).containsEntry("feedPermissions", 2).containsEntry("agentPool", 3);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> !o.kind().equals("feedPackageFiles"))
        .extracting(Omission::kind).containsExactlyInAnyOrder("user", "group", "userEntitlement", "servicePrincipal",
            "auditLog");
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("user")).singleElement()
        .extracting(Omission::reason).asString().contains("Azure DevOps Server 2020 (api-version 6.0) has no such API");
    assertThat(restCalls(collection)).filteredOn(r -> !r.query().contains("api-version=7.1"))
        .allMatch(r -> r.status() == 200);
  }

  @Test
  void aCloudOrganizationAt60GetsEntitlementsAsPreview3AndNoServicePrincipals() {
    Organization organization = anOrganization("cloud-at-6").maxApiVersion("6.0");

    MetadataSnapshot snapshot = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source(organization));

    assertThat(snapshot.counts()).containsEntry("userEntitlement", 8).containsEntry("user", 8).containsEntry("feed", 2);
    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("servicePrincipal")).singleElement()
        .extracting(Omission::reason).asString().contains("api-version 6.0 has no such API");
    assertThat(restCalls(organization)).filteredOn(r -> r.path().endsWith("/_apis/userentitlements"))
        .extracting(RecordedRequest::query).allMatch(q -> q.contains("api-version=6.0-preview.3") || q.contains("7.1"));
  }

  @Test
  void aCloudOrganizationAt50PagesEntitlementsByTopAndSkip() {
    Organization organization = anOrganization("cloud-at-5").maxApiVersion("5.0");

    MetadataSnapshot snapshot = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source(organization));

    assertThat(snapshot.count(MetadataKind.USER_ENTITLEMENT)).isEqualTo(8);
    assertThat(restCalls(organization)).filteredOn(r -> r.path().endsWith("/_apis/userentitlements"))
        .filteredOn(r -> r.query().contains("5.0-preview.2")).as("8 entitlements, 3 a page, until an empty page")
        .hasSize(4);
  }

  private static String text(MetadataStore store, String hash) {
    return new String(store.object("org1", hash), java.nio.charset.StandardCharsets.UTF_8);
  }
}
