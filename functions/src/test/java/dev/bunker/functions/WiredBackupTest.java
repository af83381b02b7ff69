package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.bunker.app.App;
import dev.bunker.app.Setting;
import dev.bunker.azure.BlobLeases;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Leases;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Project;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.testing.LogCapture;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.Sha256;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real wiring through the function classes: register by PAT, back up repositories and project
 * metadata, download the bundle and the metadata zip through their SAS links, restore into a new
 * repository and an empty project, forget by retention; Azurite queues are pumped into the queue
 * workers as the host would.
 */
class WiredBackupTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String CONTAINER = "wired-" + UUID.randomUUID();
  /** Starts now (download links must not be born expired); tests move it forward. */
  private static final ManualClock CLOCK = new ManualClock(Instant.now());
  private static AdoSandbox sandbox;
  private static QueueServiceClient queues;
  private static BlobContainerClient container;

  @TempDir
  static Path localData;
  @TempDir
  Path work;

  private final OrganizationsFunction organizations = new OrganizationsFunction();
  private final BackupsFunction backups = new BackupsFunction();
  private final RepositoriesFunction repositories = new RepositoriesFunction();
  private final RestoresFunction restores = new RestoresFunction();
  private final WorkersFunction workers = new WorkersFunction();
  private final MetadataFunction metadata = new MetadataFunction();
  private final TimersFunction timers = new TimersFunction();

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    queues = new QueueServiceClientBuilder().connectionString(Azurite.shared().connectionString())
        .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    App.use(App.fromEnvironment(Map.of(
        Setting.APP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_CONTAINER.key(), CONTAINER,
        Setting.ALLOWED_ORGANIZATION_URLS.key(), sandbox.url() + "/"), localData, CLOCK));
    container = new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient()
        .getBlobContainerClient(CONTAINER);
  }

  @AfterAll
  static void stop() {
    App.reset();
    sandbox.close();
  }

  @Test
  void backsUpExportsAndRestoresThroughTheFunctions() throws Exception {
    String name = "wired-" + UUID.randomUUID().toString().substring(0, 8);
    Project web = sandbox.organization(name).project("Web");
    HostedRepository site = web.repository("site").withBranches(2).withAnnotatedTag("v1").withPullRequests(1);
    web.withProjectWiki();
    String pat = sandbox.pat();

    JsonNode organization = json(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + sandbox.organization(name).url() + "\",\"pat\":\"" + pat + "\"}")), 201);
    String id = organization.path("id").asText();
    String runId = json(backups.start(FakeRequest.post("organizations/" + id + "/backups", null), id), 202)
        .path("id").asText();
    pump(id);

    JsonNode run = json(backups.get(FakeRequest.get("run"), id, runId), 200);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualToIgnoringCase("succeeded");
    assertThat(run.path("counts").path("succeeded").asInt())
        .as("site, the wiki, the project's and the organization's metadata").isEqualTo(4);
    String repositoryId = site.id().toString();
    JsonNode snapshots = json(repositories.snapshots(FakeRequest.get("snapshots"), id, repositoryId), 200);
    String snapshotId = snapshots.get(0).path("id").asText();

    // a small snapshot: the request writes the bundle and answers with its link
    HttpResponseMessage ready = repositories.bundle(FakeRequest.get("bundle"), id, repositoryId, snapshotId);
    assertThat(ready.getStatusCode()).isEqualTo(303);
    Path bundle = work.resolve("site.bundle");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(ready.getHeader("Location"))).build(),
        HttpResponse.BodyHandlers.ofFile(bundle)).statusCode()).isEqualTo(200);
    git(work, "clone", "--mirror", bundle.toString(), work.resolve("mirror.git").toString());
    Map<String, String> cloned = new TreeMap<>();
    git(work.resolve("mirror.git"), "for-each-ref", "--format=%(refname) %(objectname)").lines()
        .forEach(line -> cloned.put(line.split(" ")[0], line.split(" ")[1]));
    assertThat(cloned).isEqualTo(refs(site));

    String restoreId = json(restores.request(FakeRequest.post("restores", "{\"repositoryId\":\"" + repositoryId
        + "\",\"snapshotId\":\"" + snapshotId + "\",\"target\":{\"project\":\"Web\",\"repository\":\"site-copy\","
        + "\"create\":true}}"), id), 202).path("id").asText();
    pump(id);
    JsonNode restore = json(restores.get(FakeRequest.get("restore"), id, restoreId), 200);
    assertThat(restore.path("status").asText()).as(restore.toString()).isEqualToIgnoringCase("succeeded");
    Map<String, String> expected = refs(site);
    expected.keySet().removeIf(ref -> ref.startsWith("refs/pull/"));
    assertThat(refs(web.repository("site-copy"))).isEqualTo(expected);
  }

  @Test
  void backsUpAServicesOrganizationWhoseCloneUrlsNameItAsUserAndReportsAnUnreachableRepositoryAlone()
      throws Exception {
    String name = "services-" + UUID.randomUUID().toString().substring(0, 8);
    Project web = sandbox.organization(name).project("Web");
    byte[] logo = "the logo, in LFS".getBytes(StandardCharsets.UTF_8);
    String logoOid = Sha256.hex(logo);
    HostedRepository site = web.repository("site").withBranches(1).withLfsFile("assets/logo.png", logo);
    HostedRepository wiki = web.withProjectWiki();
    HostedRepository elsewhere = web.repository("elsewhere").withCommits(1)
        .listedWithRemoteUrl("https://dev.azure.com@evil.example/" + name + "/Web/_git/elsewhere");
    assertThat(site.listedRemoteUrl()).startsWith("http://" + name + "@");
    String id = json(organizations.register(FakeRequest.post("organizations", "{\"url\":\""
        + sandbox.organization(name).url() + "\",\"pat\":\"" + sandbox.pat() + "\",\"policy\":{"
        + "\"includeMetadata\":false}}")), 201).path("id").asText();

    JsonNode run = runBackup(id);

    assertThat(run.path("status").asText()).as(run.toString()).isEqualToIgnoringCase("partiallySucceeded");
    Map<String, JsonNode> results = new TreeMap<>();
    run.path("results").forEach(result -> results.put(result.path("repository").asText(), result));
    assertThat(results).containsOnlyKeys("site", "Web.wiki", "elsewhere");
    assertThat(results.get("site").path("status").asText()).isEqualToIgnoringCase("succeeded");
    assertThat(results.get("Web.wiki").path("status").asText()).isEqualToIgnoringCase("succeeded");
    assertThat(results.get("elsewhere").path("status").asText()).isEqualToIgnoringCase("failed");
    assertThat(results.get("elsewhere").path("error").asText())
        .contains("https://evil.example/" + name + "/Web/_git/elsewhere", "allow-list");
    assertThat(container.getBlobClient("orgs/" + id + "/lfs/" + logoOid).downloadContent().toBytes())
        .isEqualTo(logo);
    // The sandbox answers 200 only to a Basic credential whose password (or user) is a PAT it
    // issued: the organization's name from the URL alone would get a 401.
    assertThat(sandbox.requests(r -> r.isGit() && r.path().startsWith("/" + name + "/")))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.authScheme()).isEqualTo("Basic"))
        .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200))
        .noneMatch(r -> r.path().contains("/_git/elsewhere"))
        .anyMatch(r -> r.path().endsWith("/_git/" + wiki.name() + "/git-upload-pack"))
        .anyMatch(r -> r.path().contains("/info/lfs/objects/" + logoOid));
  }

  @Test
  void backsUpProjectMetadataWithTheRunDownloadsRestoresAndForgetsIt() throws Exception {
    String name = "meta-" + UUID.randomUUID().toString().substring(0, 8);
    Project web = sandbox.organization(name).project("Web").workItems(30);
    byte[] logo = new byte[3000];
    new java.util.Random(7).nextBytes(logo);
    HostedRepository site = web.repository("site").withBranches(1).withLfsFile("assets/logo.png", logo);
    site.pullRequest("Add dark mode").thread("Keep the old colours?", "Yes");
    web.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "s1gn-me");
    web.variableGroup("shared").variable("region", "westeurope").secret("dbPassword", "hunter2");
    Project empty = sandbox.organization(name).project("Empty");
    empty.repository("Web");
    String id = json(organizations.register(FakeRequest.post("organizations", "{\"url\":\""
        + sandbox.organization(name).url() + "\",\"pat\":\"" + sandbox.pat() + "\",\"policy\":{"
        + "\"exclude\":{\"projects\":[\"Empty\"],\"repositories\":[]},\"retention\":{\"keepLast\":1,"
        + "\"keepDaily\":0,\"keepWeekly\":0,\"keepMonthly\":0,\"keepYearly\":0}}}")), 201).path("id").asText();
    String projectId = web.id().toString();

    JsonNode first = runBackup(id);
    assertThat(first.path("status").asText()).as(first.toString()).isEqualToIgnoringCase("succeeded");
    assertThat(first.path("results")).extracting(r -> r.path("kind").asText()).containsExactlyInAnyOrder(
        "repository", "metadata", "metadata");
    JsonNode organizationScope = json(metadata.list(FakeRequest.get("metadata"), id, "organization"), 200);
    assertThat(organizationScope).as("the organization's own metadata, once per run").hasSize(1);
    assertThat(organizationScope.get(0).path("counts").path("project").asInt()).isEqualTo(2);
    JsonNode listed = json(metadata.list(FakeRequest.get("metadata"), id, projectId), 200);
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("counts").path("workItem").asInt()).isEqualTo(30);
    assertThat(listed.get(0).path("counts").path("buildDefinition").asInt()).isEqualTo(1);
    assertThat(listed.get(0).path("notBackedUp").findValuesAsText("kind"))
        .contains("buildDefinitionSecret", "variableGroupSecret");
    assertThat(container.getBlobClient("orgs/" + id + "/lfs/" + Sha256.hex(logo)).downloadContent().toBytes())
        .as("the LFS object, stored by its sha-256").isEqualTo(logo);

    web.workItems().get(5).update("System.Title", "Renamed");
    web.workItems().get(7).comment("Kim Lead", "Still happening on Tuesday");
    byte[] banner = "a banner, in LFS".getBytes(StandardCharsets.UTF_8);
    site.withLfsFile("assets/banner.png", banner);
    sandbox.clearRequests();
    CLOCK.advance(Duration.ofHours(1));
    assertThat(runBackup(id).path("status").asText()).isEqualToIgnoringCase("succeeded");
    assertThat(sandbox.requests(r -> r.path().contains("/info/lfs/objects/") && !r.path().endsWith("/batch")))
        .as("only the new LFS object is downloaded").hasSize(1);
    assertThat(container.getBlobClient("orgs/" + id + "/lfs/" + Sha256.hex(banner)).exists()).isTrue();
    listed = json(metadata.list(FakeRequest.get("metadata"), id, projectId), 200);
    assertThat(listed).hasSize(2);
    String newest = listed.get(0).path("snapshotId").asText();
    String oldest = listed.get(1).path("snapshotId").asText();
    assertThat(newest).isGreaterThan(oldest);
    assertThat(listed.get(0).path("stats").path("objectsWritten").asInt())
        .as("5: item and revisions; 7: item, revisions and comments; the work item watermark").isEqualTo(6);

    HttpResponseMessage writing = metadata.zip(FakeRequest.get("zip"), id, projectId, newest);
    assertThat(writing.getStatusCode()).isEqualTo(202);
    assertThat(writing.getHeader("Retry-After")).isNotBlank();
    assertThat(writing.getHeader("Location")).endsWith("/metadata/" + newest + "/zip");
    pump(id);
    HttpResponseMessage ready = metadata.zip(FakeRequest.get("zip"), id, projectId, newest);
    assertThat(ready.getStatusCode()).isEqualTo(303);
    Map<String, String> zip = unzip(HTTP.send(HttpRequest.newBuilder(URI.create(ready.getHeader("Location"))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body());
    assertThat(zip).containsKeys("snapshot.json", "workItem/5.json", "workItemComments/7.json",
        "buildDefinition/1.json",
        "variableGroup/1.json");
    assertThat(zip.keySet()).filteredOn(entry -> entry.startsWith("workItem/")).hasSize(30);
    assertThat(JSON.readTree(zip.get("workItem/5.json")).path("fields").path("System.Title").asText())
        .isEqualTo("Renamed");
    assertThat(String.join("\n", zip.values())).doesNotContain("s1gn-me", "hunter2");

    assertThat(metadata.restore(FakeRequest.post("metadata-restores", "{\"projectId\":\"" + projectId + "\"}"), id)
        .getStatusCode()).isEqualTo(400);
    assertThat(metadata.get(FakeRequest.get("snapshot"), id, projectId, "20200101T000000Z-00000000")
        .getStatusCode()).isEqualTo(404);
    sandbox.clearRequests();
    JsonNode plan = json(metadata.restore(FakeRequest.post("metadata-restores", "{\"projectId\":\"" + projectId
        + "\",\"snapshotId\":\"" + newest + "\",\"target\":{\"project\":\"Empty\"},\"dryRun\":true}"), id), 200);
    assertThat(plan.path("create").path("workItem").asInt()).isEqualTo(30);
    assertThat(plan.path("skip").toString()).contains("team Empty Team");
    assertThat(sandbox.requests(r -> !r.method().equals("GET"))).as("a dry run writes nothing").isEmpty();
    String restoreId = json(metadata.restore(FakeRequest.post("metadata-restores", "{\"projectId\":\"" + projectId
        + "\",\"snapshotId\":\"" + newest + "\",\"target\":{\"project\":\"Empty\"}}"), id), 202)
        .path("id").asText();
    pump(id);
    JsonNode restore = json(metadata.restoreStatus(FakeRequest.get("restore"), id, restoreId), 200);
    assertThat(restore.path("status").asText()).as(restore.toString()).isEqualToIgnoringCase("succeeded");
    assertThat(restore.path("created").path("workItem").asInt()).isEqualTo(30);
    assertThat(restore.path("created").path("buildDefinition").asInt()).isEqualTo(1);
    assertThat(restore.path("unmappedIdentities")).isNotEmpty();
    assertThat(empty.workItems().count()).isEqualTo(30);

    String objects = "orgs/" + id + "/meta/objects/";
    Set<String> stored = blobNames(objects);
    CLOCK.advance(Duration.ofDays(2));
    try (Leases.Held backupRunning =
        new BlobLeases(new AzureBlobs(container), CLOCK).take("orgs/" + id + "/meta/locks/writer-" + projectId)
            .orElseThrow()) {
      timers.retention("{}", new TestContext());
    }
    listed = json(metadata.list(FakeRequest.get("metadata"), id, projectId), 200);
    assertThat(listed).extracting(s -> s.path("snapshotId").asText()).containsExactly(newest);
    assertThat(blobNames(objects)).as("no garbage collection while a metadata backup runs").isEqualTo(stored);

    timers.retention("{}", new TestContext());
    MetadataStore store = new MetadataStore(new AzureBlobs(container));
    Set<String> referenced = new TreeSet<>();
    assertThat(store.projectIds(id)).containsExactlyInAnyOrder(projectId, "organization");
    for (String scope : store.projectIds(id)) {
      MetadataSnapshot kept = store.latest(id, scope).orElseThrow();
      kept.index().values().forEach(referenced::addAll);
      kept.entries().values().forEach(byId -> referenced.addAll(byId.values()));
    }
    Set<String> after = blobNames(objects);
    assertThat(after).as("what the kept snapshots (the project's, the organization's) refer to, nothing else")
        .isEqualTo(referenced.stream()
            .map(hash -> objects + hash).collect(Collectors.toCollection(TreeSet::new)));
    assertThat(stored.size() - after.size()).as("the old versions of work items 5 and 7 and index chunks")
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void aPackWithOneFlippedByteIsReportedByTheNextVerificationNamingTheRepositoryAndThePack() throws Exception {
    String name = "verify-" + UUID.randomUUID().toString().substring(0, 8);
    Project web = sandbox.organization(name).project("Web");
    HostedRepository site = web.repository("site").withBinaryFile("data/big.bin", 1_000_000);
    HostedRepository docs = web.repository("docs").withCommits(3);
    String id = json(organizations.register(FakeRequest.post("organizations", "{\"url\":\""
        + sandbox.organization(name).url() + "\",\"pat\":\"" + sandbox.pat() + "\",\"policy\":{"
        + "\"includeMetadata\":false}}")), 201).path("id").asText();
    assertThat(runBackup(id).path("status").asText()).isEqualToIgnoringCase("succeeded");
    String siteId = site.id().toString();
    JsonNode afterBackup = json(repositories.snapshots(FakeRequest.get("snapshots"), id, siteId), 200).get(0);
    String snapshotId = afterBackup.path("id").asText();
    assertThat(afterBackup.path("verifiedAt").asText()).as("verified after the backup").isNotEmpty();
    assertThat(afterBackup.has("verifyError")).isFalse();

    String pack = blobNames("orgs/" + id + "/repos/" + siteId + "/packs/").stream()
        .filter(blob -> blob.endsWith(".pack")).findFirst().orElseThrow();
    BlobClient blob = container.getBlobClient(pack);
    byte[] data = blob.downloadContent().toBytes();
    data[data.length / 2] ^= 0x01; // inside big.bin, most of the pack
    blob.upload(BinaryData.fromBytes(data), true);
    CLOCK.advance(Duration.ofDays(7));
    String weekly = CLOCK.instant().toString();
    try (LogCapture logs = LogCapture.start()) {
      timers.verification("{}", new TestContext());
      pump(id);
      assertThat(logs.lines()).filteredOn(line -> line.startsWith("SEVERE") || line.contains("\nSEVERE"))
          .singleElement().satisfies(line -> assertThat(line).contains(id, siteId, "Web/site", snapshotId, pack));
    }

    JsonNode damaged = json(repositories.snapshot(FakeRequest.get("snapshot"), id, siteId, snapshotId), 200)
        .path("snapshot");
    assertThat(damaged.path("verifiedAt").asText()).isEqualTo(weekly);
    assertThat(damaged.path("verifyError").asText()).contains(pack, "1 damaged object");
    Map<String, JsonNode> listed = new TreeMap<>();
    json(repositories.list(FakeRequest.get("repositories"), id), 200)
        .forEach(repository -> listed.put(repository.path("name").asText(), repository));
    assertThat(listed.get("site").path("state").asText()).isEqualTo("damaged");
    assertThat(listed.get("site").path("damage").asText()).contains(snapshotId, pack);
    assertThat(listed.get("docs").path("state").asText()).isEqualTo("protected");
    assertThat(listed.get("docs").has("damage")).isFalse();
    assertThat(listed.get("docs").path("verifiedAt").asText()).isEqualTo(weekly);
    JsonNode intact = json(repositories.snapshots(FakeRequest.get("snapshots"), id, docs.id().toString()), 200)
        .get(0);
    assertThat(intact.path("verifiedAt").asText()).isEqualTo(weekly);
    assertThat(intact.has("verifyError")).isFalse();
  }

  private JsonNode runBackup(String organizationId) throws Exception {
    String runId = json(backups.start(FakeRequest.post("organizations/" + organizationId + "/backups", null),
        organizationId), 202).path("id").asText();
    pump(organizationId);
    return json(backups.get(FakeRequest.get("run"), organizationId, runId), 200);
  }

  private Set<String> blobNames(String prefix) {
    return container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream().map(BlobItem::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, String> unzip(byte[] zip) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  /** Delivers this organization's queued work to the workers until every queue is empty, as the host would. */
  private void pump(String organizationId) {
    for (int round = 0; round < 20; round++) {
      boolean delivered = false;
      for (String queue : List.of(WorkItem.Discover.QUEUE, WorkItem.BackupRepository.QUEUE,
          WorkItem.BackupMetadata.QUEUE, WorkItem.RestoreSnapshot.QUEUE, WorkItem.ExportBundle.QUEUE,
          WorkItem.ExportMetadata.QUEUE, WorkItem.RestoreMetadata.QUEUE, WorkItem.VerifySnapshots.QUEUE)) {
        QueueClient client = queues.getQueueClient(queue);
        client.createIfNotExists();
        for (QueueMessageItem message : client.receiveMessages(32, Duration.ofSeconds(30), null, null)) {
          String text = message.getBody().toString();
          if (!text.contains(organizationId)) {
            continue;
          }
          switch (queue) {
            case WorkItem.Discover.QUEUE -> workers.discover(text, message.getDequeueCount());
            case WorkItem.BackupRepository.QUEUE -> workers.backupRepository(text, message.getDequeueCount());
            case WorkItem.BackupMetadata.QUEUE -> workers.backupMetadata(text, message.getDequeueCount());
            case WorkItem.RestoreSnapshot.QUEUE -> workers.restore(text, message.getDequeueCount());
            case WorkItem.ExportMetadata.QUEUE -> workers.exportMetadata(text, message.getDequeueCount());
            case WorkItem.RestoreMetadata.QUEUE -> workers.restoreMetadata(text, message.getDequeueCount());
            case WorkItem.VerifySnapshots.QUEUE -> workers.verifySnapshots(text, message.getDequeueCount());
            default -> workers.exportBundle(text, message.getDequeueCount());
          }
          client.deleteMessage(message.getMessageId(), message.getPopReceipt());
          delivered = true;
        }
      }
      if (!delivered) {
        return;
      }
    }
    throw new AssertionError("work kept coming");
  }

  private static Map<String, String> refs(HostedRepository repository) {
    return repository.refs().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name(), (a, b) -> a, TreeMap::new));
  }

  private static JsonNode json(HttpResponseMessage response, int status) throws Exception {
    assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(status);
    return JSON.readTree((String) response.getBody());
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
