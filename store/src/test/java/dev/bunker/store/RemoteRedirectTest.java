package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.testing.GitHttpServer;
import dev.bunker.store.testing.SourceRepository;
import dev.bunker.testing.ManualClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git traffic obeys the allow-list hop by hop: a redirect of {@code info/refs} is followed only
 * within the allow-list and the remote's host, so the credential reaches no other server.
 */
class RemoteRedirectTest {
  private static final String TOKEN = "s3cret-" + UUID.randomUUID();
  private static final Supplier<Map<String, String>> CREDENTIAL =
      () -> Map.of("Authorization", "Bearer " + TOKEN);

  @TempDir
  Path root;
  private GitHttpServer remote;
  private GitHttpServer elsewhere;
  private GitStore store;
  private BackupRepository repository;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T01:00:00Z"));

  @BeforeEach
  void start() {
    remote = GitHttpServer.serving(root).requireToken(TOKEN);
    // Serves the same repositories anonymously: a fetch redirected there would succeed.
    elsewhere = GitHttpServer.serving(root);
    store = GitStore.inMemory(clock);
    repository = store.repository("orgs/o1/repos/" + UUID.randomUUID());
  }

  @AfterEach
  void stop() {
    store.close();
    remote.close();
    elsewhere.close();
  }

  private Predicate<URI> onlyRemote() {
    int port = remote.url("").getPort();
    return uri -> uri.getPort() == port;
  }

  @Test
  void refusesARedirectOffTheAllowListAndSendsNothingThere() {
    SourceRepository.typical(root, "src", 1);
    remote.redirect("/moved/", elsewhere.url(""));

    assertThatThrownBy(() -> repository.backup(SnapshotId.of(clock.instant(), "run1"),
        new GitSource(remote.url("moved/src"), CREDENTIAL, onlyRemote())))
        .isInstanceOf(RemoteNotAllowedException.class)
        .hasMessageContaining(repository.key())
        .hasMessageContaining("redirected to " + elsewhere.url("src/info/refs") + ", which is not on"
            + " the allow-list; nothing was sent there")
        .hasMessageNotContaining(TOKEN);
    assertThat(elsewhere.requestLines()).isEmpty();
    assertThat(repository.snapshots()).isEmpty();
  }

  @Test
  void refusesARedirectToAnotherAllowedHostSoTheCredentialStaysWithItsHost() {
    SourceRepository.typical(root, "src", 1);
    remote.redirect("/moved/", elsewhere.url(""));

    assertThatThrownBy(() -> repository.backup(SnapshotId.of(clock.instant(), "run1"),
        new GitSource(remote.url("moved/src"), CREDENTIAL, anywhere -> true)))
        .isInstanceOf(RemoteNotAllowedException.class)
        .hasMessageContaining("redirected to " + elsewhere.url("src/info/refs") + ", another host than "
            + "http://127.0.0.1:" + remote.url("").getPort() + ",");
    assertThat(elsewhere.requestLines()).isEmpty();
  }

  @Test
  void followsARedirectWithinTheRemotesHostAndAllowList() {
    SourceRepository source = SourceRepository.typical(root, "src", 1);
    remote.redirect("/moved/", remote.url(""));

    Snapshot snapshot = repository.backup(SnapshotId.of(clock.instant(), "run1"),
        new GitSource(remote.url("moved/src"), CREDENTIAL, onlyRemote()));

    assertThat(snapshot.refs()).isEqualTo(source.refs());
  }

  @Test
  void refusesToPushWhereARedirectOffTheAllowListPoints() {
    SourceRepository source = SourceRepository.typical(root, "src", 0);
    SnapshotId id = SnapshotId.of(clock.instant(), "run1");
    repository.backup(id, new GitSource(remote.url("src"), CREDENTIAL, onlyRemote()));
    SourceRepository target = SourceRepository.create(root, "target");
    remote.redirect("/moved/", elsewhere.url(""));

    assertThatThrownBy(() -> repository.push(id, new GitTarget(remote.url("moved/target"), CREDENTIAL,
        ref -> true, onlyRemote())))
        .isInstanceOf(RemoteNotAllowedException.class)
        .hasMessageContaining("redirected to " + elsewhere.url("target/info/refs"));
    assertThat(elsewhere.requestLines()).isEmpty();
    assertThat(target.refs()).isEmpty();
    assertThat(source.refs()).isNotEmpty();
  }
}
