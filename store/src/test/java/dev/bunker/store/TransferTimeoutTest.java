package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.store.testing.GitHttpServer;
import dev.bunker.store.testing.SourceRepository;
import dev.bunker.testing.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote that takes the connection and then sends nothing fails the fetch or push after the
 * store's transfer timeout, instead of holding it (and the writer lease) until the function dies.
 */
class TransferTimeoutTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T01:00:00Z"));
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private ServerSocket silent;
  private GitStore store;
  private BackupRepository repository;

  @BeforeEach
  void start() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accepting = new Thread(() -> {
      while (!silent.isClosed()) {
        try {
          held.add(silent.accept()); // read nothing, answer nothing
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-remote");
    accepting.setDaemon(true);
    accepting.start();
    store = GitStore.on(new InMemoryBlobs(clock), clock,
        GitStore.Options.defaults().withTransferTimeout(Duration.ofSeconds(1)));
    repository = store.repository("orgs/o1/repos/" + UUID.randomUUID());
  }

  @AfterEach
  void stop() throws IOException {
    store.close();
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  private URI silentUrl() {
    return URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/org/_git/repo");
  }

  @Test
  void aFetchFromARemoteThatSendsNothingFailsAfterTheTimeout() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> repository.backup(SnapshotId.of(clock.instant(), "run1"),
        GitSource.anonymous(silentUrl())))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(repository.key());

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(held).isNotEmpty();
    assertThat(repository.snapshots()).isEmpty();
  }

  @Test
  void aPushToARemoteThatSendsNothingFailsAfterTheTimeout(@TempDir Path served) {
    SourceRepository source = SourceRepository.typical(served, "src", 0);
    SnapshotId id = SnapshotId.of(clock.instant(), "run1");
    try (GitHttpServer server = GitHttpServer.serving(served)) {
      repository.backup(id, GitSource.anonymous(server.url(source.name())));
    }
    long started = System.nanoTime();

    assertThatThrownBy(() -> repository.push(id, GitTarget.of(silentUrl(), Map::of)))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(repository.key());

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(held).isNotEmpty();
  }
}
