package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.sun.net.httpserver.HttpServer;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.store.GitStore;
import dev.bunker.store.MaintenanceOptions;
import dev.bunker.store.TransferException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The vault over the blob store in Azurite, fetching from and pushing to the sandbox Azure DevOps. */
class GitStoreVaultTest {
  private static AdoSandbox sandbox;
  private static AdoSourceDirectory directory;
  private static GitStore store;
  private static GitStoreVault vault;
  private static GitCredential pat;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    pat = GitCredential.pat(null, Secret.of(sandbox.pat()));
    AllowList allowList = AllowList.of(List.of(sandbox.url() + "/"));
    directory = new AdoSourceDirectory(AzureDevOpsClient.builder(allowList).build());
    BlobContainerClient container = new BlobServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).buildClient()
        .getBlobContainerClient("vault-" + UUID.randomUUID());
    container.create();
    store = GitStore.onBlobs(container, Clock.systemUTC(), GitStore.Options.defaults());
    vault = new GitStoreVault(store, directory::gitHeaders, allowList::allows,
        MaintenanceOptions.defaults().withGracePeriod(Duration.ZERO));
  }

  @AfterAll
  static void stop() {
    store.close();
    sandbox.close();
  }

  private static Map<String, String> refsOf(HostedRepository repository) {
    return repository.refs().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name(), (a, b) -> a, TreeMap::new));
  }

  private static Map<String, String> asMap(List<SnapshotRef> refs) {
    return refs.stream().collect(Collectors.toMap(SnapshotRef::name, SnapshotRef::objectId, (a, b) -> a, TreeMap::new));
  }

  @Test
  void backsUpEveryRefOnceAndRestoresIntoANewRepository() {
    var project = sandbox.organization("vault").project("Web");
    HostedRepository site = project.repository("site").withBranches(3).withAnnotatedTag("v1").withMerge()
        .withPullRequests(2);
    String url = site.remoteUrl().toString();
    RepositoryKey key = new RepositoryKey("org1", site.id().toString());

    SnapshotSummary first = vault.backup(key, "20260101T010000Z-0000a001", new GitEndpoint(url, pat));
    assertThat(first.refCount()).isEqualTo(site.refs().size());
    assertThat(first.objectsAdded()).isPositive();
    assertThat(asMap(vault.refs(key, "20260101T010000Z-0000a001"))).isEqualTo(refsOf(site));

    SnapshotSummary again = vault.backup(key, "20260101T010000Z-0000a001", new GitEndpoint(url, pat));
    assertThat(again).isEqualTo(first);
    SnapshotSummary unchanged = vault.backup(key, "20260102T010000Z-0000a002", new GitEndpoint(url, pat));
    assertThat(unchanged.objectsAdded()).isZero();
    assertThat(unchanged.packBytesAdded()).isLessThan(first.packBytesAdded());

    SourceAccess access = new SourceAccess(sandbox.organization("vault").url().toString(), pat);
    SourceRepository target = directory.createRepository(access, "Web", "site-restored");
    vault.restore(key, "20260101T010000Z-0000a001", new GitEndpoint(target.remoteUrl(), pat));
    Map<String, String> expected = new TreeMap<>(refsOf(site));
    expected.keySet().removeIf(ref -> ref.startsWith("refs/pull/"));
    assertThat(refsOf(project.repository("site-restored"))).isEqualTo(expected);
    assertThat(sandbox.requests(r -> r.isGit())).allMatch(r -> !r.toString().contains(pat.token().reveal()));
  }

  @Test
  void restoringIntoARepositoryWithOnlyTagsIsRefusedAndItsTagIsUnchanged() throws IOException {
    var project = sandbox.organization("vault").project("Tags");
    HostedRepository site = project.repository("site").withCommits(2).withAnnotatedTag("v1");
    RepositoryKey key = new RepositoryKey("org1", site.id().toString());
    vault.backup(key, "20260101T010000Z-0000e001", new GitEndpoint(site.remoteUrl().toString(), pat));
    HostedRepository tagsOnly = project.repository("tags-only").withCommits(1).withTag("v1");
    RefUpdate deleteMain = tagsOnly.git().updateRef("refs/heads/main");
    deleteMain.setForceUpdate(true);
    assertThat(deleteMain.delete()).isEqualTo(RefUpdate.Result.FORCED);
    Map<String, String> before = refsOf(tagsOnly);
    SourceRepository target = emptyAsTheRestoreChecksIt("Tags", "tags-only");

    assertThatThrownBy(() -> vault.restore(key, "20260101T010000Z-0000e001", new GitEndpoint(target.remoteUrl(), pat)))
        .isInstanceOfSatisfying(SourceException.class, e -> {
          assertThat(e.reason()).isEqualTo(SourceException.Reason.CONFLICT);
          assertThat(e.getMessage())
              .startsWith("nothing in the target was overwritten; 1 ref(s) refused: refs/tags/v1 (the"
                  + " target already has it at " + before.get("refs/tags/v1").substring(0, 10) + ", the snapshot at ");
        });
    assertThat(refsOf(tagsOnly)).isEqualTo(before);
  }

  @Test
  void aBranchPushedBetweenTheEmptinessCheckAndThePushIsNotOverwritten() {
    var project = sandbox.organization("vault").project("Race");
    HostedRepository site = project.repository("site").withCommits(2);
    RepositoryKey key = new RepositoryKey("org1", site.id().toString());
    vault.backup(key, "20260101T010000Z-0000f001", new GitEndpoint(site.remoteUrl().toString(), pat));
    HostedRepository raced = project.repository("raced");
    SourceRepository target = emptyAsTheRestoreChecksIt("Race", "raced");
    ObjectId theirs = raced.commit("main", "THEIRS.md", "pushed by someone else meanwhile\n");

    assertThatThrownBy(() -> vault.restore(key, "20260101T010000Z-0000f001", new GitEndpoint(target.remoteUrl(), pat)))
        .isInstanceOfSatisfying(SourceException.class, e -> {
          assertThat(e.reason()).isEqualTo(SourceException.Reason.CONFLICT);
          assertThat(e.getMessage())
              .contains("refs/heads/main (the target already has it at " + theirs.abbreviate(10).name());
        });
    assertThat(raced.refs()).containsExactly(Map.entry("refs/heads/main", theirs));
  }

  /** The target as the restore finds it before pushing: empty, as Azure DevOps lists it (no default branch). */
  private static SourceRepository emptyAsTheRestoreChecksIt(String project, String name) {
    SourceAccess access = new SourceAccess(sandbox.organization("vault").url().toString(), pat);
    SourceRepository target = directory.findRepository(access, project, name).orElseThrow();
    assertThat(target.empty()).isTrue();
    return target;
  }

  @Test
  void forgottenSnapshotsAreGoneAfterMaintenance() {
    HostedRepository repo = sandbox.organization("vault").project("Ops").repository("scripts").withCommits(2);
    RepositoryKey key = new RepositoryKey("org1", repo.id().toString());
    GitEndpoint source = new GitEndpoint(repo.remoteUrl().toString(), pat);
    vault.backup(key, "20260101T010000Z-0000b001", source);
    repo.withCommits(1);
    vault.backup(key, "20260102T010000Z-0000b002", source);

    vault.forget(key, List.of("20260101T010000Z-0000b001", "not-an-id"));
    vault.maintain(key);

    assertThatThrownBy(() -> vault.refs(key, "20260101T010000Z-0000b001")).isInstanceOf(NotFoundException.class);
    assertThat(asMap(vault.refs(key, "20260102T010000Z-0000b002"))).isEqualTo(refsOf(repo));
    assertThatThrownBy(() -> vault.refs(key, "../x")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anEmptyRepositoryHasAnEmptySnapshot() {
    HostedRepository blank = sandbox.organization("vault").project("Ops").repository("blank");
    RepositoryKey key = new RepositoryKey("org1", blank.id().toString());
    SnapshotSummary summary =
        vault.backup(key, "20260101T010000Z-0000c001", new GitEndpoint(blank.remoteUrl().toString(), pat));
    assertThat(summary.refCount()).isZero();
    assertThat(vault.refs(key, "20260101T010000Z-0000c001")).isEmpty();
  }

  @Test
  void aRefusedCredentialOrMissingRepositoryIsTheSourcesFault() {
    HostedRepository repo = sandbox.organization("vault").project("Ops").repository("locked").withCommits(1);
    RepositoryKey key = new RepositoryKey("org1", repo.id().toString());
    GitCredential wrong = GitCredential.pat(null, Secret.of("wrong-token-value"));

    assertThatThrownBy(
        () -> vault.backup(key, "20260101T010000Z-0000d001", new GitEndpoint(repo.remoteUrl().toString(), wrong)))
        .isInstanceOfSatisfying(SourceException.class, e -> {
          assertThat(e.reason()).isEqualTo(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED);
          assertThat(e.getMessage()).doesNotContain("wrong-token-value");
        });
    assertThatThrownBy(() -> vault.backup(key, "20260101T010000Z-0000d001",
        new GitEndpoint(sandbox.organization("vault").url() + "/Ops/_git/missing", pat)))
        .isInstanceOfSatisfying(SourceException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(SourceException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> vault.refs(key, "20260101T010000Z-0000d001")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aStatusIsReadFromTheMessageNotFromTheDigitsOfThePortInItsUrl() {
    String url = "http://127.0.0.1:40367/vault/Ops/_git/missing";
    assertThat(GitStoreVault.reasonOf(new TransferException(
        "cannot fetch from " + url + ": " + url + "/info/refs?service=git-upload-pack not found: Not Found")))
        .isEqualTo(SourceException.Reason.NOT_FOUND);
    assertThat(GitStoreVault.reasonOf(new TransferException("cannot fetch from " + url + ": 403 Forbidden")))
        .isEqualTo(SourceException.Reason.ACCESS_DENIED);
  }

  @Test
  void aRedirectOffTheAllowListFailsTheBackupAndSendsTheCredentialNowhere() throws IOException {
    HostedRepository repo = sandbox.organization("vault").project("Ops").repository("moved").withCommits(1);
    RepositoryKey key = new RepositoryKey("org1", repo.id().toString());
    List<String> collected = new CopyOnWriteArrayList<>();
    HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    elsewhere.createContext("/", exchange -> {
      collected.add(exchange.getRequestURI() + " Authorization: "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    elsewhere.start();
    try {
      String collector = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/collect/info/refs";
      sandbox.faults().redirectNext(1, URI.create(collector + "?service=git-upload-pack"));

      assertThatThrownBy(() -> vault.backup(key, "20260101T010000Z-0000e001",
          new GitEndpoint(repo.remoteUrl().toString(), pat)))
          .isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.reason()).isEqualTo(SourceException.Reason.URL_NOT_ALLOWED);
            assertThat(e.getMessage()).contains("redirected to " + collector + ", which is not on the allow-list")
                .doesNotContain(pat.token().reveal());
          });
      assertThat(collected).isEmpty();
      assertThatThrownBy(() -> vault.refs(key, "20260101T010000Z-0000e001")).isInstanceOf(NotFoundException.class);
    } finally {
      sandbox.faults().clear();
      elsewhere.stop(0);
    }
  }
}
