package dev.bunker.ado;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.FakeTime;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.export.AzureDevOpsMetadata;
import dev.bunker.ado.restore.AzureDevOpsRestore;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataRestore;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import dev.bunker.store.blob.InMemoryBlobs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the metadata backup and restore tests share: one sandbox Azure DevOps per test class (its
 * faults disarmed after each test), a client whose waits a {@link FakeTime} records instead of
 * spending, an in-memory metadata store, and backup and restore of sandbox projects through them.
 */
public abstract class SandboxMetadataTest {
  protected static final ObjectMapper JSON = new ObjectMapper();
  protected static final String ORGANIZATION_ID = "org1";
  protected static AdoSandbox sandbox;
  protected static Credential pat;

  protected final FakeTime time = new FakeTime();
  protected final InMemoryBlobs blobs = TestBlobs.inMemory();
  protected final MetadataStore store = new MetadataStore(blobs);
  protected final AzureDevOpsClient client;

  /** @param pageSize how many items the client asks for a page (small, so tests page) */
  protected SandboxMetadataTest(int pageSize) {
    client = client(pageSize);
  }

  @BeforeAll
  protected static void startSandbox() {
    sandbox = AdoSandbox.start();
    pat = Credential.personalAccessToken(sandbox.pat());
  }

  @AfterAll
  protected static void stopSandbox() {
    sandbox.close();
  }

  @AfterEach
  void disarmFaults() {
    sandbox.faults().clear();
  }

  /**
   * A client of the sandbox only, retrying on the fake time: cloud-style organizations are reached
   * at their dev.azure.com URLs, so each service's calls must go to that service's host.
   */
  protected final AzureDevOpsClient client(int pageSize) {
    return AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).httpClient(sandbox.cloudHttpClient())
        .sleeper(time).clock(time).random(new Random(7)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
        .maxAttempts(6).pageSize(pageSize).build();
  }

  protected static ProjectRef ref(Project project) {
    return new ProjectRef(project.id().toString(), project.name());
  }

  protected static OrganizationUrl url(Project project) {
    return url(project.organization());
  }

  /** {@code https://dev.azure.com/{organization}} for a cloud-style organization, else the collection URL. */
  protected static OrganizationUrl url(Organization organization) {
    return OrganizationUrl.parse((organization.isServer() ? organization.url() : organization.cloudUrl()).toString());
  }

  protected MetadataSnapshot backup(Project project, String snapshotId) {
    return new MetadataBackup(store, time).backup(ORGANIZATION_ID, ref(project), snapshotId,
        AzureDevOpsMetadata.of(client, url(project), pat));
  }

  protected RestoreReport restore(Project source, String snapshotId, Project target) {
    return new MetadataRestore(store).restore(ORGANIZATION_ID, source.id().toString(), snapshotId, ref(target),
        AzureDevOpsRestore.of(client, url(target), pat));
  }

  protected JsonNode document(MetadataSnapshot snapshot, MetadataKind kind, String id) throws IOException {
    return JSON.readTree(store.object(ORGANIZATION_ID, snapshot.hash(kind, id).orElseThrow()));
  }

  protected List<JsonNode> documents(MetadataSnapshot snapshot, MetadataKind kind) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (String id : snapshot.entries(kind).keySet()) {
      documents.add(document(snapshot, kind, id));
    }
    return documents;
  }
}
