package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Secret;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.MaintenanceOptions;
import dev.bunker.testing.ManualClock;
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

/** Bundle exports in Azurite, downloaded through their SAS URL and cloned with CGit. */
class BlobSnapshotExportsTest {
  private static AdoSandbox sandbox;
  private static GitStore store;
  private static GitStoreVault vault;
  private static BlobContainerClient container;
  private static BlobSnapshotExports exports;
  private static GitCredential pat;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path work;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    pat = GitCredential.pat(null, Secret.of(sandbox.pat()));
    AllowList allowList = AllowList.of(List.of(sandbox.url() + "/"));
    AdoSourceDirectory directory = new AdoSourceDirectory(AzureDevOpsClient.builder(allowList).build());
    container = new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient()
        .getBlobContainerClient("exports-" + UUID.randomUUID());
    container.create();
    store = GitStore.onBlobs(container, Clock.systemUTC(), GitStore.Options.defaults());
    vault = new GitStoreVault(store, directory::gitHeaders, allowList::allows, MaintenanceOptions.defaults());
    exports = BlobSnapshotExports.signedWithAccountKey(store, container, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    store.close();
    sandbox.close();
  }

  @Test
  void theExportedBundleClonesToExactlyTheSnapshotsRefs() throws Exception {
    HostedRepository site = sandbox.organization("exports").project("Web").repository("site")
        .withBranches(3).withAnnotatedTag("v1").withMerge().withPullRequests(2).withBinaryFile("big.bin", 300_000);
    RepositoryKey key = new RepositoryKey("org1", site.id().toString());
    String snapshot = "20260101T010000Z-0000e001";
    vault.backup(key, snapshot, new GitEndpoint(site.remoteUrl().toString(), pat));
    Map<String, String> sourceRefs = site.refs().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name(), (a, b) -> a, TreeMap::new));

    assertThat(exports.status(key, snapshot).state()).isEqualTo(ExportStatus.State.MISSING);
    exports.write(key, snapshot, "Web-site-" + snapshot + ".bundle");
    ExportStatus ready = exports.status(key, snapshot);
    assertThat(ready.state()).isEqualTo(ExportStatus.State.READY);
    assertThat(ready.url().getPath()).contains("/exports/org1/" + site.id() + "/" + snapshot + ".bundle");
    assertThat(ready.url().getQuery()).contains("sp=r").contains("se=");

    Path bundle = work.resolve("snapshot.bundle");
    HttpResponse<Path> download = HTTP.send(HttpRequest.newBuilder(ready.url()).build(),
        HttpResponse.BodyHandlers.ofFile(bundle));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(exports.storedBytes(key, snapshot).orElseThrow()).as("what decides whether a request writes it")
        .isGreaterThan(300_000);
    assertThat(download.headers().firstValue("Content-Type")).contains(BlobSnapshotExports.CONTENT_TYPE);
    assertThat(download.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"Web-site-" + snapshot + ".bundle\"");
    assertThat(cloned(bundle)).isEqualTo(sourceRefs);
    assertThat(container.getBlobClient(BlobSnapshotExports.blobName(key, snapshot)).getBlockBlobClient()
        .listBlocks(BlockListType.COMMITTED).getCommittedBlocks())
        .as("a first snapshot's: the header, then its pack copied by storage").hasSize(2);

    var etag = container.getBlobClient(BlobSnapshotExports.blobName(key, snapshot)).getProperties().getETag();
    exports.write(key, snapshot, "Web-site-" + snapshot + ".bundle");
    assertThat(container.getBlobClient(BlobSnapshotExports.blobName(key, snapshot)).getProperties().getETag())
        .as("a second write leaves the export alone").isEqualTo(etag);

    HttpResponse<String> overwrite = HTTP.send(HttpRequest.newBuilder(ready.url())
        .header("x-ms-blob-type", "BlockBlob").PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(overwrite.statusCode()).as("the link is read-only").isEqualTo(403);
  }

  @Test
  void aSnapshotWhosePackIsNotStoredAsItIsIsWrittenByTheStore() throws Exception {
    HostedRepository app = sandbox.organization("exports").project("Web").repository("app").withBranches(2);
    RepositoryKey key = new RepositoryKey("org1", app.id().toString());
    GitEndpoint endpoint = new GitEndpoint(app.remoteUrl().toString(), pat);
    vault.backup(key, "20260101T010000Z-0000e005", endpoint);
    app.commit("main", "later.txt", "later\n");
    String second = "20260101T020000Z-0000e006";
    vault.backup(key, second, endpoint); // a second pack: the snapshot spans both

    exports.write(key, second, "Web-app-" + second + ".bundle");

    Path bundle = work.resolve("second.bundle");
    HTTP.send(HttpRequest.newBuilder(exports.status(key, second).url()).build(),
        HttpResponse.BodyHandlers.ofFile(bundle));
    assertThat(cloned(bundle)).isEqualTo(app.refs().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name(), (a, b) -> a, TreeMap::new)));
  }

  /** The refs of a mirror clone of {@code bundle}, checked by {@code git fsck --strict}. */
  private Map<String, String> cloned(Path bundle) throws Exception {
    Path mirror = work.resolve("mirror-" + UUID.randomUUID() + ".git");
    git(work, "clone", "--mirror", bundle.toString(), mirror.toString());
    git(mirror, "fsck", "--strict");
    Map<String, String> cloned = new TreeMap<>();
    git(mirror, "for-each-ref", "--format=%(refname) %(objectname)").lines()
        .map(line -> line.split(" "))
        .forEach(parts -> cloned.put(parts[0], parts[1]));
    return cloned;
  }

  @Test
  void anExportBeingWrittenIsReportedAndNotStartedTwice() {
    RepositoryKey key = new RepositoryKey("org1", "busy");
    String snapshot = "20260101T010000Z-0000e002";
    var marker = container.getBlobClient(BlobSnapshotExports.blobName(key, snapshot) + ".writing");
    marker.upload(BinaryData.fromString(""), true);
    assertThat(exports.status(key, snapshot).state())
        .as("a marker without a lease is a writer that died").isEqualTo(ExportStatus.State.MISSING);

    var lease = new BlobLeaseClientBuilder().blobClient(marker).buildClient();
    lease.acquireLease(15);
    assertThat(exports.status(key, snapshot).state()).isEqualTo(ExportStatus.State.WRITING);
    exports.write(key, snapshot, "Web-site-" + snapshot + ".bundle");
    assertThat(container.getBlobClient(BlobSnapshotExports.blobName(key, snapshot)).exists()).isFalse();
    lease.releaseLease();
  }

  @Test
  void aFailedExportIsReportedWithItsReasonUntilItMayBeTriedAgain() {
    ManualClock clock = ManualClock.at("2026-03-01T10:00:00Z");
    BlobSnapshotExports failing = BlobSnapshotExports.signedWithAccountKey(store, container, clock);
    RepositoryKey key = new RepositoryKey("org1", "broken");
    String snapshot = "20260101T010000Z-0000e004";

    failing.fail(key, snapshot, "pack pack-1.pack of repository broken is truncated");
    ExportStatus failed = failing.status(key, snapshot);
    assertThat(failed.state()).isEqualTo(ExportStatus.State.FAILED);
    assertThat(failed.reason()).isEqualTo("pack pack-1.pack of repository broken is truncated");
    assertThat(failed.retryAfter()).isEqualTo(ExportBlobs.FAILURE_HELD);

    clock.advance(ExportBlobs.FAILURE_HELD.minusMinutes(1));
    assertThat(failing.status(key, snapshot).retryAfter()).hasMinutes(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(failing.status(key, snapshot).state())
        .as("once the failure is old, a request starts a new attempt").isEqualTo(ExportStatus.State.MISSING);
  }

  @Test
  void aSnapshotTheStoreDoesNotHaveIsNotExported() {
    RepositoryKey key = new RepositoryKey("org1", "unknown");
    assertThat(exports.storedBytes(key, "20260101T010000Z-0000e003")).isEmpty();
    exports.write(key, "20260101T010000Z-0000e003", "Web-site-20260101T010000Z-0000e003.bundle");
    assertThat(exports.status(key, "20260101T010000Z-0000e003").state()).isEqualTo(ExportStatus.State.MISSING);
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
