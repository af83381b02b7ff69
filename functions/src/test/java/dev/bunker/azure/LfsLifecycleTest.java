package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.port.Leases;
import dev.bunker.core.retention.CollectorLocks;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.MaintenanceOptions;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Git LFS objects over their life: indexed per snapshot, collected when no snapshot needs them, restored by push. */
class LfsLifecycleTest {
  private static AdoSandbox sandbox;
  private static AdoSourceDirectory directory;
  private static GitStore store;
  private static BlobContainerClient container;
  private static GitCredential pat;
  private static final ManualClock clock = new ManualClock(Instant.now());
  private static GitStoreVault gitVault;
  private static LfsVault vault;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    pat = GitCredential.pat(null, Secret.of(sandbox.pat()));
    AllowList allowList = AllowList.of(List.of(sandbox.url() + "/"));
    directory = new AdoSourceDirectory(AzureDevOpsClient.builder(allowList).build());
    container = new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient()
        .getBlobContainerClient("lfs-" + UUID.randomUUID());
    container.create();
    store = GitStore.onBlobs(container, clock, GitStore.Options.defaults());
    gitVault = new GitStoreVault(store, directory::gitHeaders, allowList::allows,
        MaintenanceOptions.defaults().withGracePeriod(Duration.ZERO));
    vault = withDownloads(directory::lfsObjects);
  }

  @AfterAll
  static void stop() {
    store.close();
    sandbox.close();
  }

  private static LfsVault withDownloads(LfsVault.Downloads downloads) {
    return new LfsVault(gitVault, store, new LfsObjects(container), downloads, directory::lfsUpload,
        new BlobLeases(new AzureBlobs(container), clock), clock);
  }

  private static Optional<Set<LfsPointer>> pointersIndexed(String organizationId, String repositoryId,
      String snapshotId) {
    return new LfsObjects(container).readIndex(organizationId, repositoryId, snapshotId)
        .map(LfsObjects.Index::pointers);
  }

  private static GitEndpoint endpoint(HostedRepository repository) {
    return new GitEndpoint(repository.remoteUrl().toString(), pat);
  }

  private static boolean stored(String organizationId, byte[] content) throws Exception {
    return container.getBlobClient(LfsObjects.blobName(organizationId, Sha256.hex(content))).exists();
  }

  @Test
  void anObjectNoRetainedSnapshotPointsToIsDeletedAfterTheGracePeriod() throws Exception {
    byte[] logo = "the logo, in LFS".getBytes(StandardCharsets.UTF_8);
    byte[] video = "a demo video, in LFS".getBytes(StandardCharsets.UTF_8);
    var project = sandbox.organization("lfs-gc").project("Web");
    HostedRepository site = project.repository("site").withLfsFile("logo.png", logo);
    HostedRepository media = project.repository("media").withLfsFile("demo.mp4", video);
    RepositoryKey siteKey = new RepositoryKey("gc", site.id().toString());
    RepositoryKey mediaKey = new RepositoryKey("gc", media.id().toString());
    vault.backup(siteKey, "20260101T010000Z-0000a001", new GitEndpoint(site.remoteUrl().toString(), pat));
    vault.backup(mediaKey, "20260101T010000Z-0000a002", new GitEndpoint(media.remoteUrl().toString(), pat));
    site.withFile("README.md", "no LFS here");
    vault.backup(siteKey, "20260102T010000Z-0000a003", new GitEndpoint(site.remoteUrl().toString(), pat));

    vault.forget(siteKey, List.of("20260101T010000Z-0000a001"));
    vault.forget(mediaKey, List.of("20260101T010000Z-0000a002"));
    vault.collectGarbage("gc", List.of(siteKey, mediaKey));
    assertThat(stored("gc", video)).as("within the grace period").isTrue();

    clock.advance(LfsVault.GRACE.plusHours(1));
    vault.collectGarbage("gc", List.of(siteKey, mediaKey));
    assertThat(stored("gc", video)).as("no snapshot points to it").isFalse();
    assertThat(stored("gc", logo)).as("the newer snapshot of site still holds the logo's pointer").isTrue();
  }

  /** The vault, its LFS step's storage requests (the git snapshot's left out) added to {@code requests}. */
  private static LfsVault countingLfsRequests(List<String> requests) {
    BlobContainerClient counted = new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString())
        .addPolicy((context, next) -> {
          requests.add(context.getHttpRequest().getHttpMethod() + " " + context.getHttpRequest().getUrl());
          return next.process();
        }).buildClient().getBlobContainerClient(container.getBlobContainerName());
    return new LfsVault(gitVault, store, new LfsObjects(counted), directory::lfsObjects, directory::lfsUpload,
        new BlobLeases(new AzureBlobs(counted), clock), clock);
  }

  @Test
  void aBackupWithNothingChangedOfASnapshotTheStoreKnowsLfsFreeReadsAndWritesNoIndex() {
    var project = sandbox.organization("lfs-quiet").project("Web");
    HostedRepository plain = project.repository("plain").withBranches(1);
    HostedRepository assets =
        project.repository("assets").withLfsFile("logo.png", "a quiet logo".getBytes(StandardCharsets.UTF_8));
    RepositoryKey plainKey = new RepositoryKey("quiet", plain.id().toString());
    RepositoryKey assetsKey = new RepositoryKey("quiet", assets.id().toString());
    List<String> requests = new CopyOnWriteArrayList<>();
    LfsVault countedVault = countingLfsRequests(requests);
    countedVault.backup(plainKey, "20260101T010000Z-0000b001", endpoint(plain));
    countedVault.backup(assetsKey, "20260101T010000Z-0000b002", endpoint(assets));

    requests.clear();
    countedVault.backup(plainKey, "20260102T010000Z-0000b003", endpoint(plain));
    // before: the earlier index read, the new one written (and before that, the lease too)
    assertThat(requests).as("the store says the snapshot reaches no pointer").isEmpty();
    requests.clear();
    countedVault.backup(assetsKey, "20260102T010000Z-0000b004", endpoint(assets));
    assertThat(requests).as("the lease taken, the collector's looked for, the earlier index read, the new one"
        + " written, the lease released").hasSize(5);

    assertThat(pointersIndexed("quiet", plainKey.repositoryId(), "20260102T010000Z-0000b003")).isEmpty();
    assertThat(pointersIndexed("quiet", assetsKey.repositoryId(), "20260102T010000Z-0000b004"))
        .hasValueSatisfying(pointers -> assertThat(pointers).hasSize(1));
  }

  @Test
  void aBackupWhoseCommitsAddNoLfsObjectToASnapshotNamingNoneTakesNoLease() throws Exception {
    HostedRepository plain = sandbox.organization("lfs-none").project("Web").repository("plain").withBranches(1);
    RepositoryKey key = new RepositoryKey("none", plain.id().toString());
    List<String> requests = new CopyOnWriteArrayList<>();
    LfsVault countedVault = countingLfsRequests(requests);

    countedVault.backup(key, "20260101T010000Z-0000c001", endpoint(plain));
    // before: the index written (and before that, the lease's blob looked for and created, the lease
    // taken, the collector's looked for, the lease released)
    assertThat(requests).as("the store says the snapshot reaches no pointer").isEmpty();
    plain.withFile("README.md", "new commits, still no LFS");
    countedVault.backup(key, "20260102T010000Z-0000c002", endpoint(plain));
    assertThat(requests).as("before: the earlier index read, the new one written").isEmpty();

    byte[] logo = "the first LFS object of plain".getBytes(StandardCharsets.UTF_8);
    plain.withLfsFile("logo.png", logo);
    countedVault.backup(key, "20260103T010000Z-0000c003", endpoint(plain));
    assertThat(requests).as("a backup that relies on a stored object holds the lease: taken and released")
        .filteredOn(request -> request.contains("comp=lease")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(stored("none", logo)).isTrue();
    assertThat(pointersIndexed("none", key.repositoryId(), "20260102T010000Z-0000c002")).as("none needed").isEmpty();
    assertThat(pointersIndexed("none", key.repositoryId(), "20260103T010000Z-0000c003"))
        .hasValueSatisfying(pointers -> assertThat(pointers).hasSize(1));

    vault.collectGarbage("none", List.of(key));
    assertThat(pointersIndexed("none", key.repositoryId(), "20260101T010000Z-0000c001"))
        .as("garbage collection reads the store's word too: no walk, no index written").isEmpty();
    assertThat(stored("none", logo)).isTrue();
  }

  @Test
  void aSnapshotWithAnEmptyIndexFromBeforeIsRecordedLfsFreeByTheNextBackupAndTheOneAfterReadsNothing()
      throws Exception {
    HostedRepository plain = sandbox.organization("lfs-upgrade").project("Web").repository("plain").withBranches(1);
    RepositoryKey key = new RepositoryKey("upgrade", plain.id().toString());
    vault.backup(key, "20260101T010000Z-0000g001", endpoint(plain));
    // as an earlier version left it: an empty index, and a manifest that says nothing of LFS
    new LfsObjects(container).writeIndex("upgrade", key.repositoryId(), "20260101T010000Z-0000g001", Set.of(),
        Set.of());
    var manifest = container.getBlobClient(GitStoreVault.key(key) + "/manifest.json");
    manifest.upload(BinaryData.fromString(
        manifest.downloadContent().toString().replaceAll(",\\s*\"lfsFree\" *: *true", "")), true);
    List<String> requests = new CopyOnWriteArrayList<>();
    LfsVault countedVault = countingLfsRequests(requests);

    countedVault.backup(key, "20260102T010000Z-0000g002", endpoint(plain));
    assertThat(requests).as("the earlier index read; no lease, no index written: the store records it")
        .hasSize(1).allMatch(request -> request.startsWith("GET"));
    requests.clear();
    countedVault.backup(key, "20260103T010000Z-0000g003", endpoint(plain));

    assertThat(requests).as("the store says so now").isEmpty();
    assertThat(pointersIndexed("upgrade", key.repositoryId(), "20260103T010000Z-0000g003")).isEmpty();
  }

  @Test
  void anObjectTheServerCouldNotGiveIsAskedForAgainByTheNextBackup() throws Exception {
    byte[] logo = "a logo the LFS server lost for a while".getBytes(StandardCharsets.UTF_8);
    HostedRepository site = sandbox.organization("lfs-retry").project("Web").repository("site")
        .withLfsFile("logo.png", logo);
    RepositoryKey key = new RepositoryKey("retry", site.id().toString());
    LfsVault serverWithout = withDownloads((repository, pointers, receiver) -> pointers
        .forEach(pointer -> receiver.unavailable(pointer, "the LFS server did not answer for it")));
    serverWithout.backup(key, "20260101T010000Z-0000e001", endpoint(site));
    assertThat(stored("retry", logo)).isFalse();

    site.withFile("README.md", "a commit without LFS objects");
    vault.backup(key, "20260102T010000Z-0000e002", endpoint(site));

    assertThat(stored("retry", logo)).as("asked for again, though no new commit points to it").isTrue();
    assertThat(new LfsObjects(container).readIndex("retry", key.repositoryId(), "20260102T010000Z-0000e002"))
        .hasValueSatisfying(index -> assertThat(index.unavailable()).isEmpty());
  }

  @Test
  void aBackupWhoseWriterLeaseIsBrokenStopsAndIndexesNothing() {
    byte[] logo = "a logo whose backup loses its lease".getBytes(StandardCharsets.UTF_8);
    HostedRepository site = sandbox.organization("lfs-lost").project("Web").repository("site")
        .withLfsFile("logo.png", logo);
    RepositoryKey key = new RepositoryKey("lost", site.id().toString());
    // the lease is lost while the objects download: garbage collection may run from now on
    LfsVault.Downloads breakingTheLease = (repository, pointers, receiver) -> {
      directory.lfsObjects(repository, pointers, receiver);
      BrokenLeases.breakAndAwaitRenewal(
          container.getBlobClient("orgs/lost/" + LfsObjects.LOCKS + "/writer-" + key.repositoryId()));
    };
    LfsVault losing = new LfsVault(gitVault, store, new LfsObjects(container), breakingTheLease, directory::lfsUpload,
        new BlobLeases(new AzureBlobs(container), clock, BrokenLeases.RENEW_EVERY), clock);

    assertThatThrownBy(() -> losing.backup(key, "20260101T010000Z-0000f001", endpoint(site)))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("lost the lease");

    assertThat(pointersIndexed("lost", key.repositoryId(), "20260101T010000Z-0000f001"))
        .as("no index names objects that garbage collection may delete").isEmpty();
  }

  @Test
  void restoringByPushUploadsTheObjectsTheTargetLacks() throws Exception {
    byte[] logo = "a restored logo".getBytes(StandardCharsets.UTF_8);
    byte[] manual = "a restored manual".getBytes(StandardCharsets.UTF_8);
    HostedRepository site = sandbox.organization("lfs-source").project("Web").repository("site")
        .withLfsFile("logo.png", logo).withLfsFile("manual.pdf", manual);
    RepositoryKey key = new RepositoryKey("restore", site.id().toString());
    vault.backup(key, "20260101T010000Z-0000b001", new GitEndpoint(site.remoteUrl().toString(), pat));
    var targetOrganization = sandbox.organization("lfs-target");
    targetOrganization.project("Copy");
    SourceRepository target = directory.createRepository(new SourceAccess(targetOrganization.url().toString(), pat),
        "Copy", "site");
    sandbox.clearRequests();

    vault.restore(key, "20260101T010000Z-0000b001", new GitEndpoint(target.remoteUrl(), pat));

    HostedRepository restored = targetOrganization.project("Copy").repository("site");
    assertThat(restored.lfsObject(Sha256.hex(logo))).hasValueSatisfying(v -> assertThat(v).isEqualTo(logo));
    assertThat(restored.lfsObject(Sha256.hex(manual))).hasValueSatisfying(v -> assertThat(v).isEqualTo(manual));
    assertThat(sandbox.requests(r -> r.method().equals("PUT") && r.path().contains("/info/lfs/objects/")))
        .hasSize(2).allMatch(r -> r.status() == 200 && r.path().startsWith("/lfs-target/"));
  }

  @Test
  void restoringASnapshotTheStoreKnowsLfsFreeAsksTheTargetForNothingAndWritesNoIndex() {
    HostedRepository plain = sandbox.organization("lfs-plain-source").project("Web").repository("plain")
        .withBranches(2);
    RepositoryKey key = new RepositoryKey("plain-restore", plain.id().toString());
    vault.backup(key, "20260101T010000Z-0000h001", endpoint(plain));
    var targetOrganization = sandbox.organization("lfs-plain-target");
    targetOrganization.project("Copy");
    SourceRepository target = directory.createRepository(new SourceAccess(targetOrganization.url().toString(), pat),
        "Copy", "plain");
    sandbox.clearRequests();

    vault.restore(key, "20260101T010000Z-0000h001", new GitEndpoint(target.remoteUrl(), pat));

    assertThat(targetOrganization.project("Copy").repository("plain").refs()).isEqualTo(plain.refs());
    assertThat(sandbox.requests(r -> r.path().contains("/info/lfs/"))).as("no LFS batch, no upload").isEmpty();
    assertThat(pointersIndexed("plain-restore", key.repositoryId(), "20260101T010000Z-0000h001"))
        .as("the store's word stands: no walk of the snapshot's objects to index it").isEmpty();
  }

  @Test
  void garbageCollectionDuringABackupKeepsTheObjectsTheBackupReliesOn() throws Exception {
    byte[] texture = "a texture two repositories track".getBytes(StandardCharsets.UTF_8);
    byte[] sketch = "a sketch only the copy has".getBytes(StandardCharsets.UTF_8);
    var project = sandbox.organization("lfs-race").project("Game");
    HostedRepository original = project.repository("original").withLfsFile("texture.png", texture);
    RepositoryKey originalKey = new RepositoryKey("race", original.id().toString());
    vault.backup(originalKey, "20260101T010000Z-0000c001", endpoint(original));
    vault.forget(originalKey, List.of("20260101T010000Z-0000c001"));
    clock.advance(LfsVault.GRACE.plusHours(1));
    HostedRepository copy = project.repository("copy").withLfsFile("texture.png", texture)
        .withLfsFile("sketch.png", sketch);
    RepositoryKey copyKey = new RepositoryKey("race", copy.id().toString());
    // The copy's backup finds the texture stored (old, and for now no snapshot's) and relies on it;
    // while it downloads the sketch, retention collects garbage (it listed the organization's
    // repositories before the copy was discovered).
    LfsVault paused = withDownloads((repository, pointers, receiver) -> {
      vault.collectGarbage("race", List.of(originalKey));
      directory.lfsObjects(repository, pointers, receiver);
    });

    paused.backup(copyKey, "20260102T010000Z-0000c002", endpoint(copy));

    assertThat(pointersIndexed("race", copyKey.repositoryId(), "20260102T010000Z-0000c002"))
        .hasValueSatisfying(index -> assertThat(index).hasSize(2).allSatisfy(pointer -> assertThat(
            container.getBlobClient(LfsObjects.blobName("race", pointer.oid())).exists())
            .as("object %s named by the committed snapshot", pointer.oid()).isTrue()));
    vault.collectGarbage("race", List.of(originalKey, copyKey));
    assertThat(stored("race", texture)).as("the copy's snapshot names it").isTrue();
  }

  @Test
  void aBackupWaitsForGarbageCollectionBeforeRelyingOnStoredObjects() throws Exception {
    byte[] logo = "a logo stored while garbage is collected".getBytes(StandardCharsets.UTF_8);
    HostedRepository site = sandbox.organization("lfs-wait").project("Web").repository("site")
        .withLfsFile("logo.png", logo);
    RepositoryKey key = new RepositoryKey("wait", site.id().toString());
    CollectorLocks locks = new CollectorLocks(new BlobLeases(new AzureBlobs(container), clock), LfsObjects.LOCKS);

    try (Leases.Held collecting = locks.collector("wait").orElseThrow()) {
      assertThatThrownBy(() -> vault.backup(key, "20260101T010000Z-0000d001", endpoint(site)))
          .isInstanceOf(UnavailableException.class).hasMessageContaining("garbage collection");
    }
    vault.backup(key, "20260101T010000Z-0000d001", endpoint(site));

    assertThat(stored("wait", logo)).isTrue();
    assertThat(pointersIndexed("wait", key.repositoryId(), "20260101T010000Z-0000d001"))
        .hasValueSatisfying(index -> assertThat(index).hasSize(1));
  }
}
