package dev.bunker.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.store.GitSource;
import dev.bunker.store.GitStore;
import dev.bunker.store.Snapshot;
import dev.bunker.store.SnapshotId;
import dev.bunker.store.testing.Git;
import dev.bunker.store.testing.GitHttpServer;
import dev.bunker.store.testing.SourceRepository;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Disaster recovery with nothing but the storage account's connection string. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreCliTest {
  static final String KEY = "orgs/o1/repos/r1";

  Path root;
  GitHttpServer server;
  String container;
  Map<String, String> env;
  Snapshot snapshot;

  @BeforeAll
  void backUpOneRepository(@TempDir Path served) {
    root = served;
    server = GitHttpServer.serving(served);
    container = "cli-" + UUID.randomUUID();
    BlobContainerClient client = new BlobServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).buildClient()
        .createBlobContainer(container);
    SourceRepository source = SourceRepository.typical(served, "source", 3);
    try (GitStore store = GitStore.onBlobs(client, Clock.systemUTC(),
        GitStore.Options.defaults())) {
      snapshot = store.repository(KEY).backup(
          SnapshotId.of(Instant.parse("2026-03-01T01:00:00Z"), "run1"),
          GitSource.anonymous(server.url(source.name())));
    }
    env = Map.of("BUNKER_STORAGE_CONNECTION_STRING", Azurite.shared().connectionString());
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  record Result(int code, String out, String err) {}

  Result cli(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = StoreCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  Result cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--container";
    all[1] = container;
    System.arraycopy(args, 0, all, 2, args.length);
    return cli(env, all);
  }

  @Test
  void listsRepositoriesAndSnapshots() {
    assertThat(cli("repositories").out()).isEqualTo(KEY + "\n");
    Result snapshots = cli("snapshots", KEY);
    assertThat(snapshots.code()).isZero();
    assertThat(snapshots.out()).startsWith(snapshot.id().value())
        .contains(snapshot.refCount() + " refs");
  }

  @Test
  void exportsASnapshotAsABareRepository() {
    Path bare = root.resolve("restored-" + UUID.randomUUID() + ".git");

    Result result = cli("export", KEY, snapshot.id().value(), bare.toString());

    assertThat(result.code()).as(result.err()).isZero();
    Git.fsck(bare);
    Map<String, String> refs = new TreeMap<>(Git.refs(bare));
    assertThat(refs).isEqualTo(snapshot.refs());
  }

  @Test
  void writesABundleThatGitClones() {
    Path bundle = root.resolve("snapshot-" + UUID.randomUUID() + ".bundle");
    Path clone = root.resolve("clone-" + UUID.randomUUID());

    Result result = cli("bundle", KEY, snapshot.id().value(), bundle.toString());
    Git.run(root, "clone", "-q", "--mirror", bundle.toString(), clone.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(Git.refs(clone)).isEqualTo(snapshot.refs());
  }

  @Test
  void pushesASnapshotWithTheAuthorizationFromTheEnvironment() {
    SourceRepository target = SourceRepository.create(root, "target-" + UUID.randomUUID());
    server.requireToken("push-token");
    try {
      Map<String, String> withToken = new TreeMap<>(env);
      withToken.put("BUNKER_PUSH_AUTHORIZATION", "Bearer push-token");

      Result result = cli(withToken, "--container", container, "push", KEY,
          snapshot.id().value(), server.url(target.name()).toString());

      assertThat(result.code()).as(result.err()).isZero();
      assertThat(target.refs()).isEqualTo(snapshot.refs());
    } finally {
      server.requireToken(null);
    }
  }

  @Test
  void badUsageExplainsItselfWithoutTouchingStorage() {
    Result noStorage = cli(Map.of(), "snapshots", KEY);
    Result unknown = cli("restore-everything");
    Result missingSnapshot = cli("refs", KEY, "20200101T000000Z-none");

    assertThat(noStorage.code()).isEqualTo(2);
    assertThat(noStorage.err()).contains("BUNKER_STORAGE_CONNECTION_STRING");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown command").contains("usage:");
    assertThat(missingSnapshot.code()).isEqualTo(1);
    assertThat(missingSnapshot.err()).contains(KEY).contains("20200101T000000Z-none");
  }
}
