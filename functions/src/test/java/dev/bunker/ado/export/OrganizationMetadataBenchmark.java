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
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.OrganizationSettings;
import dev.bunker.sandbox.Project;
import dev.bunker.store.blob.InMemoryBlobs;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * REST calls and bytes stored for the organization-scope snapshot of a mid-sized organization
 * (30 projects, 2,000 users, 100 groups, 5 feeds of 300 packages, 50 service principals, 50 ACLs) and for a TFVC project with 2,000
 * changesets: a first run and a run without changes. Prints numbers; asserts nothing. Not part of
 * the default test run: {@code mvn -B -q -pl functions -am test -Dtest=OrganizationMetadataBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OrganizationMetadataBenchmark {

  @Test
  void firstAndNoChangeRuns() {
    try (AdoSandbox sandbox = AdoSandbox.start()) {
      Organization organization = sandbox.organization("bench");
      for (int i = 1; i <= 30; i++) {
        organization.project("Project " + i);
      }
      OrganizationSettings settings = organization.settings().users(2_000);
      for (int i = 1; i <= 100; i++) {
        settings.group("Group " + i, "Generated User " + i, "Generated User " + (i + 100));
      }
      for (int i = 1; i <= 10; i++) {
        settings.extension("publisher" + i, "extension" + i, "1.0." + i).agentPool("Pool " + i, i == 1);
      }
      for (int i = 1; i <= 5; i++) {
        settings.feed("feed-" + i).upstream("npmjs", "npm", "https://registry.npmjs.org/").packages(300);
      }
      for (int i = 1; i <= 50; i++) {
        settings.security().servicePrincipal("app-" + i).ace("Git Repositories", "repoV2/" + i, "Group " + i, 6, 8);
      }
      Project legacy = organization.project("Legacy");
      legacy.tfvc().history(2_000);

      AzureDevOpsClient client = AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).build();
      AzureDevOpsMetadata source = AzureDevOpsMetadata.of(client, OrganizationUrl.parse(organization.url().toString()),
          Credential.personalAccessToken(sandbox.pat()));
      InMemoryBlobs blobs = TestBlobs.inMemory();
      MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), Clock.systemUTC());
      ProjectRef tfvc = new ProjectRef(legacy.id().toString(), legacy.name());

      System.out.println("Organization scope: 31 projects, 2,000 users, 100 groups, 10 extensions, 10 pools, 5 feeds"
          + " x 300 packages; TFVC project: 2,000 changesets of 2 files each");
      print(sandbox, blobs, "organization, first run",
          () -> backup.backup("bench", ProjectRef.ORGANIZATION, "20260301T010000Z-00000001", source));
      print(sandbox, blobs, "organization, no changes",
          () -> backup.backup("bench", ProjectRef.ORGANIZATION, "20260302T010000Z-00000002", source));
      print(sandbox, blobs, "TFVC project, first run",
          () -> backup.backup("bench", tfvc, "20260301T010000Z-00000001", source));
      print(sandbox, blobs, "TFVC project, no changes",
          () -> backup.backup("bench", tfvc, "20260302T010000Z-00000002", source));
    }
  }

  private static void print(AdoSandbox sandbox, InMemoryBlobs blobs, String name, Supplier<MetadataSnapshot> run) {
    sandbox.clearRequests();
    int writes = TestBlobs.count(blobs);
    long bytes = TestBlobs.bytes(blobs);
    long started = System.nanoTime();
    MetadataSnapshot snapshot = run.get();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(Locale.ROOT, "%-28s %6d REST calls, %6d blobs written, %,12d bytes, %,7d ms; counts %s%n", name,
        sandbox.requests().size(), TestBlobs.count(blobs) - writes, TestBlobs.bytes(blobs) - bytes, millis,
        snapshot.counts());
  }
}
