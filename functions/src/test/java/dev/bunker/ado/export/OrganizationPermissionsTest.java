package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.restore.AzureDevOpsRestore;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.Omission;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.OrganizationSecurity;
import dev.bunker.sandbox.OrganizationSettings;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.store.blob.InMemoryBlobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Permissions in the organization-scope snapshot: ACLs by namespace, service principals, feed roles and retention. */
class OrganizationPermissionsTest extends SandboxMetadataTest {

  private static final String GIT = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87";
  private static final String BUILD = "33344d9c-fc72-4d6f-aba5-fa317101a7e9";

  OrganizationPermissionsTest() {
    super(3);
  }

  /**
   * Four namespaces (Identity unreadable), ACLs on two repositories and a build folder, 5 service
   * principals paged 3 at a time, an organization feed and a project feed, one with a retention policy.
   */
  private static Organization anOrganization(String name) {
    Organization organization = sandbox.organization(name).pageSize(3);
    dev.bunker.sandbox.Project web = organization.project("Web");
    OrganizationSettings settings = organization.settings();
    settings.user("Kim Lead", "express").group("Web Team", "Kim Lead");
    OrganizationSettings.Feed shared = settings.feed("shared").packages(1);
    OrganizationSettings.Feed internal = settings.feed("web-internal", web).publish("npm", "web-ui", "1.0.0");
    OrganizationSecurity security = settings.security();
    security.ace("Git Repositories", "repoV2", "Project Collection Administrators", 31, 0)
        .ace("Git Repositories", "repoV2/" + web.id(), "Web Team", 6, 8)
        .ace("Git Repositories", "repoV2/" + web.id(), "Kim Lead", 31, 0)
        .ace("Git Repositories", "repoV2/" + web.id(), "Readers", 2, 4)
        .ace("Build", web.id() + "/release", "Web Team", 1, 8)
        .ace("Project", "$PROJECT:vstfs:///Classification/TeamProject/" + web.id(), "Web Team", 1, 0)
        .unreadable("Identity")
        .servicePrincipal("deploy-bot").servicePrincipal("backup-app").servicePrincipal("terraform")
        .servicePrincipal("scanner").servicePrincipal("release-app")
        .feedRole(shared, "Web Team", "reader").retention(internal, 20, 30);
    return organization;
  }

  private AzureDevOpsMetadata source(Organization organization) {
    return AzureDevOpsMetadata.of(client, url(organization), pat, 4, 40);
  }

  private MetadataSnapshot backup(MetadataBackup backup, Organization organization, String snapshotId) {
    return backup.backup(ORGANIZATION_ID, ProjectRef.ORGANIZATION, snapshotId, source(organization));
  }

  @Test
  void backsUpAccessControlListsServicePrincipalsAndFeedPermissions() throws Exception {
    Organization organization = anOrganization("permissions");
    sandbox.faults().throttleNext(1, Duration.ofSeconds(2));

    MetadataSnapshot snapshot = backup(new MetadataBackup(store, time), organization, "20260301T010000Z-00000001");

    assertThat(snapshot.counts()).containsEntry("securityNamespace", 4).containsEntry("accessControlLists", 3)
        .containsEntry("servicePrincipal", 5).containsEntry("feedPermissions", 2)
        .containsEntry("feedRetentionPolicy", 2);
    JsonNode git = document(snapshot, MetadataKind.ACCESS_CONTROL_LISTS, GIT);
    assertThat(git.path("namespaceName").asText()).isEqualTo("Git Repositories");
    assertThat(git.path("acls")).extracting(acl -> acl.path("token").asText()).isSorted().hasSize(2);
    List<String> descriptors = new ArrayList<>();
    git.path("acls").get(1).path("acesDictionary").fieldNames().forEachRemaining(descriptors::add);
    assertThat(descriptors).hasSize(3).isSorted();
    assertThat(git.path("acls").get(1).path("acesDictionary").elements().next().path("extendedInfo")
        .has("effectiveAllow")).isTrue();
    assertThat(document(snapshot, MetadataKind.SECURITY_NAMESPACE, BUILD).path("actions")).hasSize(4);

    assertThat(snapshot.notBackedUp()).filteredOn(o -> o.kind().equals("accessControlLists")).singleElement()
        .satisfies(o -> assertThat(o.id()).isEqualTo("5a27515b-ccd7-42c9-84f1-54c998f03866"))
        .extracting(Omission::reason).asString().contains("could not be read", "403", "Identity");

    String shared = organization.settings().feed("shared").id().toString();
    assertThat(document(snapshot, MetadataKind.FEED_PERMISSIONS, shared).path("permissions"))
        .extracting(p -> p.path("role").asText()).containsExactlyInAnyOrder("administrator", "contributor", "reader");
    String internal = organization.settings().feed("web-internal").id().toString();
    assertThat(document(snapshot, MetadataKind.FEED_RETENTION_POLICY, internal).path("countLimit").asInt())
        .isEqualTo(20);
    assertThat(document(snapshot, MetadataKind.FEED_RETENTION_POLICY, shared).path("countLimit").isNull()).isTrue();

    List<RecordedRequest> calls = sandbox.requests(r -> r.path().startsWith("/" + organization.path() + "/"));
    assertThat(calls).filteredOn(r -> r.path().endsWith("/_apis/graph/servicePrincipals"))
        .as("5 service principals, 3 a page").hasSize(2);
    assertThat(calls).filteredOn(r -> r.path().matches(".*/_apis/(securitynamespaces|accesscontrollists/.*"
        + "|graph/servicePrincipals|packaging/Feeds/[^/]+/(permissions|retentionpolicies))"))
        .as("1 namespace list + 4 ACL reads + 2 service principal pages + 2 per feed").hasSize(11);
    assertThat(time.sleeps()).contains(Duration.ofSeconds(2));
  }

  @Test
  void anUnchangedAclSetStoresNothingNewAndOneChangedEntryStoresOneDocument() {
    Organization organization = anOrganization("unchanged-permissions");
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), time);
    MetadataSnapshot first = backup(backup, organization, "20260301T010000Z-00000001");

    int writes = TestBlobs.count(blobs);
    MetadataSnapshot second = backup(backup, organization, "20260302T010000Z-00000002");
    assertThat(TestBlobs.count(blobs) - writes).as("only the manifest, though ACLs came in another order").isEqualTo(1);
    assertThat(second.entries()).isEqualTo(first.entries());

    organization.settings().security().ace("Git Repositories", "repoV2/" + organization.project("Web").id(),
        "Web Team", 6, 0);
    MetadataSnapshot third = backup(backup, organization, "20260303T010000Z-00000003");
    assertThat(third.stats().objectsWritten()).as("the Git Repositories ACLs").isEqualTo(1);
    assertThat(third.entries(MetadataKind.ACCESS_CONTROL_LISTS).get(GIT))
        .isNotEqualTo(second.entries(MetadataKind.ACCESS_CONTROL_LISTS).get(GIT));
  }

  @Test
  void aRestoreSaysPermissionsAreNotRestored() {
    Organization organization = anOrganization("restore-permissions");
    backup(new MetadataBackup(store, time), organization, "20260301T010000Z-00000001");
    dev.bunker.sandbox.Project target = sandbox.organization("restore-permissions-target").project("Empty");

    RestoreReport report = new MetadataRestore(store).restore(ORGANIZATION_ID, ProjectRef.ORGANIZATION.id(),
        "20260301T010000Z-00000001", ref(target), AzureDevOpsRestore.of(client, url(target), pat));

    assertThat(report.notes()).anySatisfy(note -> assertThat(note).contains("permissions", "not restored",
        "accessControlLists", "servicePrincipal", "feedPermissions"));
  }
}
