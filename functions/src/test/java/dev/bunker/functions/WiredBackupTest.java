package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.bunker.azurite.Azurite;
import dev.bunker.core.WorkItem;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Project;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real wiring through the function classes: register by PAT, back up, download the bundle
 * through its SAS link, restore into a new repository; Azurite queues are pumped into the queue
 * workers as the host would.
 */
class WiredBackupTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static AdoSandbox sandbox;
  private static QueueServiceClient queues;

  @TempDir static Path localData;
  @TempDir Path work;

  private final OrganizationsFunction organizations = new OrganizationsFunction();
  private final BackupsFunction backups = new BackupsFunction();
  private final RepositoriesFunction repositories = new RepositoriesFunction();
  private final RestoresFunction restores = new RestoresFunction();
  private final WorkersFunction workers = new WorkersFunction();

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    queues = new QueueServiceClientBuilder().connectionString(Azurite.shared().connectionString())
        .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    App.use(App.fromEnvironment(Map.of(
        Setting.APP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_CONTAINER.key(), "wired-" + UUID.randomUUID(),
        Setting.ALLOWED_ORGANIZATION_URLS.key(), sandbox.url() + "/"), localData, Clock.systemUTC()));
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
    assertThat(run.path("counts").path("succeeded").asInt()).isEqualTo(2);
    String repositoryId = site.id().toString();
    JsonNode snapshots = json(repositories.snapshots(FakeRequest.get("snapshots"), id, repositoryId), 200);
    String snapshotId = snapshots.get(0).path("id").asText();

    HttpResponseMessage writing = repositories.bundle(FakeRequest.get("bundle"), id, repositoryId, snapshotId);
    assertThat(writing.getStatusCode()).isEqualTo(202);
    assertThat(writing.getHeader("Retry-After")).isNotBlank();
    assertThat(writing.getHeader("Location")).endsWith("/snapshots/" + snapshotId + "/bundle");
    pump(id);
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

  /** Delivers this organization's queued work to the workers until every queue is empty, as the host would. */
  private void pump(String organizationId) {
    for (int round = 0; round < 20; round++) {
      boolean delivered = false;
      for (String queue : List.of(WorkItem.Discover.QUEUE, WorkItem.BackupRepository.QUEUE,
          WorkItem.RestoreSnapshot.QUEUE, WorkItem.ExportBundle.QUEUE)) {
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
            case WorkItem.RestoreSnapshot.QUEUE -> workers.restore(text, message.getDequeueCount());
            default -> workers.exportBundle(text);
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
