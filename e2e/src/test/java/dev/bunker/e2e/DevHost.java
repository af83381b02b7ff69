package dev.bunker.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Bunker app under devhost, started the way {@code ./run} starts it ({@code java -jar
 * devhost.jar --app … --settings …}) as a separate process on a free port, in its own working
 * directory (where the local secrets file lands), with its output in a log file.
 */
final class DevHost implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Process launcher;
  private final int port;
  private final Path log;

  private DevHost(Process launcher, int port, Path log) {
    this.launcher = launcher;
    this.port = port;
    this.log = log;
  }

  /** Starts devhost on {@code port} with {@code settings} as the {@code Values} of its local.settings.json. */
  static DevHost start(Path app, Path workDir, int port, Map<String, String> settings, List<String> arguments)
      throws IOException {
    Files.createDirectories(workDir);
    Path settingsFile = workDir.resolve("local.settings.json");
    Files.writeString(settingsFile,
        new ObjectMapper().writeValueAsString(Map.of("IsEncrypted", false, "Values", settings)));
    Path log = workDir.resolve("devhost.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of(System.getProperty("devhost.jar", "../devhost/target/devhost.jar")).toAbsolutePath().toString(),
        "--app", app.toAbsolutePath().toString(), "--settings", settingsFile.toString(),
        "--port", Integer.toString(port)));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    DevHost host = new DevHost(process, port, log);
    host.awaitReady(Duration.ofSeconds(120));
    return host;
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  /** Runs a timer function now ({@code POST /admin/functions/<name>}); the run itself is asynchronous. */
  void runTimer(String function) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/admin/functions/" + function))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("devhost did not run timer " + function + ": " + response.statusCode());
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path logFile() {
    return log;
  }

  @Override
  public void close() {
    if (!launcher.isAlive()) {
      return;
    }
    launcher.destroy();
    try {
      if (!launcher.waitFor(40, TimeUnit.SECONDS)) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!launcher.isAlive()) {
        throw new IllegalStateException("devhost exited with " + launcher.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<Void> status = HTTP.send(HttpRequest.newBuilder(uri("/admin/host/status"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (status.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Waiting.pause(Duration.ofMillis(200));
    }
    close();
    throw new IllegalStateException("devhost did not answer within " + timeout + ":\n" + log());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
