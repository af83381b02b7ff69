package dev.bunker.devhost;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * devhost started the way the README's run command starts it ({@code java -jar devhost.jar}), as a
 * separate process on a free port, with its own local.settings.json and environment. Published in
 * devhost's test jar for the end-to-end tests, which run the packaged Bunker app under it.
 */
public final class DevHostProcess implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Process launcher;
  private final int port;
  private final Path log;

  private DevHostProcess(Process launcher, int port, Path log) {
    this.launcher = launcher;
    this.port = port;
    this.log = log;
  }

  public static Builder forApp(Path appDir) {
    return new Builder(appDir);
  }

  public static final class Builder {
    private final Path appDir;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private int port;
    private Path workingDirectory;

    private Builder(Path appDir) {
      this.appDir = appDir;
    }

    /** A {@code Values} entry of the local.settings.json devhost reads. */
    public Builder setting(String name, String value) {
      values.put(name, value);
      return this;
    }

    /** {@code Values} entries of the local.settings.json devhost reads. */
    public Builder settings(Map<String, String> settings) {
      values.putAll(settings);
      return this;
    }

    /** An environment variable of the devhost process (overrides local.settings.json). */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** The port to listen on, for settings that must name it (OAuth redirect URI); free by default. */
    public Builder port(int fixed) {
      port = fixed;
      return this;
    }

    public Builder argument(String name, String value) {
      arguments.add(name);
      arguments.add(value);
      return this;
    }

    /**
     * Runs devhost in {@code directory} (where the app's local data lands), with its
     * local.settings.json and its log ({@code devhost.log}) there too; by default the process
     * shares the test's directory and writes both under {@code devhost.logs}.
     */
    public Builder workingDirectory(Path directory) {
      workingDirectory = directory;
      return this;
    }

    public DevHostProcess start(String name) throws IOException {
      int port = this.port != 0 ? this.port : freePort();
      Path settings;
      Path log;
      if (workingDirectory != null) {
        Files.createDirectories(workingDirectory);
        settings = workingDirectory.resolve("local.settings.json");
        log = workingDirectory.resolve("devhost.log");
      } else {
        Path logs = Path.of(System.getProperty("devhost.logs", "target/devhost-logs"));
        Files.createDirectories(logs);
        settings = Files.createTempFile(logs, name + "-", ".local.settings.json");
        log = logs.resolve(name + "-" + port + ".log");
      }
      Files.writeString(settings,
          new ObjectMapper().writeValueAsString(Map.of("IsEncrypted", false, "Values", values)));
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", devhostJar(),
          "--app", appDir.toAbsolutePath().toString(), "--settings", settings.toAbsolutePath().toString(),
          "--port", Integer.toString(port)));
      command.addAll(arguments);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      builder.environment().putAll(environment);
      DevHostProcess process = new DevHostProcess(builder.start(), port, log);
      process.awaitReady(Duration.ofSeconds(120));
      return process;
    }
  }

  static String devhostJar() {
    return Path.of(System.getProperty("devhost.jar", "target/devhost.jar")).toAbsolutePath().toString();
  }

  public URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Runs a timer function now ({@code POST /admin/functions/<name>}); the run itself is asynchronous. */
  public void runTimer(String function) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/admin/functions/" + function))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("devhost did not run timer " + function + ": " + response.statusCode());
    }
  }

  /** The process running the functions (the launcher's child JVM). */
  public ProcessHandle functionHost() {
    return launcher.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .findFirst().orElseThrow(() -> new IllegalStateException("no function host process under devhost"));
  }

  /** Like Ctrl-C or {@code kill <pid>}: SIGTERM to devhost; waits until it has exited. */
  int terminate(Duration patience) throws InterruptedException {
    launcher.destroy();
    if (!launcher.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("devhost did not stop within " + patience + "; log " + log);
    }
    return launcher.exitValue();
  }

  /** {@code kill -9} of the process running the functions: no shutdown code runs at all. */
  void killFunctionHost() throws InterruptedException {
    ProcessHandle host = functionHost();
    host.destroyForcibly();
    host.onExit().join();
    launcher.waitFor(30, TimeUnit.SECONDS);
  }

  /** Everything devhost and the app printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path logFile() {
    return log;
  }

  boolean isAlive() {
    return launcher.isAlive();
  }

  @Override
  public void close() {
    if (launcher.isAlive()) {
      launcher.descendants().forEach(ProcessHandle::destroy);
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
  }

  private void awaitReady(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!launcher.isAlive()) {
        throw new IllegalStateException("devhost exited with " + launcher.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<byte[]> status = HTTP.send(HttpRequest.newBuilder(uri("/admin/host/status"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (status.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    close();
    throw new IllegalStateException("devhost did not answer within " + timeout + ":\n" + log());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
