package dev.bunker.azurite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A running Azurite (the Azure Storage emulator: blobs, queues, tables), installed from npm into a
 * project-local folder on first use. Used by the devhost run command and by every test that needs
 * storage, so that a fresh machine with only Java, Maven and Node can run Bunker.
 */
public final class Azurite implements AutoCloseable {
  public static final String VERSION = "3.37.0";
  public static final String ACCOUNT = "devstoreaccount1";
  /** Azurite's well-known development key; public by design, never a production secret. */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final String HOST = "127.0.0.1";
  private static Azurite shared;

  private final Process process;
  private final int blobPort;
  private final int queuePort;
  private final int tablePort;

  private Azurite(Process process, int blobPort, int queuePort, int tablePort) {
    this.process = process;
    this.blobPort = blobPort;
    this.queuePort = queuePort;
    this.tablePort = tablePort;
  }

  /** Options for {@link #start}: ports (0 picks a free one) and where data lives (null keeps it in memory). */
  public record Options(int blobPort, int queuePort, int tablePort, Path dataDir, Path logFile) {
    public static Options inMemory() {
      return new Options(0, 0, 0, null, null);
    }

    public Options withPorts(int blob, int queue, int table) {
      return new Options(blob, queue, table, dataDir, logFile);
    }

    public Options withDataDir(Path dir) {
      return new Options(blobPort, queuePort, tablePort, dir, logFile);
    }

    public Options withLogFile(Path file) {
      return new Options(blobPort, queuePort, tablePort, dataDir, file);
    }
  }

  /**
   * One in-memory Azurite per JVM for tests, started on first use and stopped when the JVM exits.
   * Tests isolate themselves by container, queue and table names, not by separate emulators.
   */
  public static synchronized Azurite shared() {
    if (shared == null) {
      shared = start(Options.inMemory());
      Azurite started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "azurite-stop"));
    }
    return shared;
  }

  /** Installs Azurite when missing, starts it and waits until all three services accept connections. */
  public static Azurite start(Options options) {
    Path executable = install();
    IOException lastFailure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int blob = options.blobPort() == 0 ? freePort() : options.blobPort();
      int queue = options.queuePort() == 0 ? freePort() : options.queuePort();
      int table = options.tablePort() == 0 ? freePort() : options.tablePort();
      List<String> command = new ArrayList<>(List.of(executable.toString(),
          "--blobHost", HOST, "--queueHost", HOST, "--tableHost", HOST,
          "--blobPort", Integer.toString(blob), "--queuePort", Integer.toString(queue),
          "--tablePort", Integer.toString(table), "--skipApiVersionCheck", "--loose",
          "--disableProductStyleUrl", "--disableTelemetry"));
      if (options.dataDir() == null) {
        command.add("--inMemoryPersistence");
      } else {
        command.addAll(List.of("--location", options.dataDir().toString()));
      }
      try {
        if (options.dataDir() != null) {
          Files.createDirectories(options.dataDir());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (options.logFile() != null) {
          Files.createDirectories(options.logFile().toAbsolutePath().getParent());
          builder.redirectOutput(ProcessBuilder.Redirect.appendTo(options.logFile().toFile()));
        } else {
          builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process process = builder.start();
        Azurite azurite = new Azurite(process, blob, queue, table);
        if (azurite.awaitReady(Duration.ofSeconds(60))) {
          return azurite;
        }
        azurite.close();
        lastFailure = new IOException("Azurite did not accept connections on ports "
            + blob + "/" + queue + "/" + table + " (exit code "
            + (process.isAlive() ? "none, still running" : process.exitValue()) + ")");
      } catch (IOException e) {
        lastFailure = e;
      }
      if (options.blobPort() != 0) {
        break; // fixed ports: retrying the same ports will not help
      }
    }
    throw new UncheckedIOException("Could not start Azurite " + VERSION, lastFailure);
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
        + ";BlobEndpoint=" + blobEndpoint() + ";QueueEndpoint=" + queueEndpoint()
        + ";TableEndpoint=" + tableEndpoint() + ";";
  }

  public URI blobEndpoint() {
    return endpoint(blobPort);
  }

  public URI queueEndpoint() {
    return endpoint(queuePort);
  }

  public URI tableEndpoint() {
    return endpoint(tablePort);
  }

  public int blobPort() {
    return blobPort;
  }

  public int queuePort() {
    return queuePort;
  }

  public int tablePort() {
    return tablePort;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Azurite's process and those it started (benchmarks read their CPU time). */
  public Stream<ProcessHandle> processes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants());
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private URI endpoint(int port) {
    return URI.create("http://" + HOST + ":" + port + "/" + ACCOUNT);
  }

  private boolean awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      if (accepts(blobPort) && accepts(queuePort) && accepts(tablePort)) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Installs azurite@{@value #VERSION} with npm into {@code <project>/.tools/azurite} unless it is
   * there. A file lock serialises concurrent installs (parallel test JVMs, devhost).
   */
  public static Path install() {
    Path dir = toolsDir().resolve("azurite-" + VERSION);
    Path executable = dir.resolve("node_modules").resolve(".bin").resolve("azurite");
    if (Files.isExecutable(executable)) {
      return executable;
    }
    try {
      Files.createDirectories(dir);
      try (FileChannel lockChannel = FileChannel.open(dir.resolve(".install.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          var lock = lockChannel.lock()) {
        if (Files.isExecutable(executable)) {
          return executable;
        }
        Path log = dir.resolve("npm-install.log");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund",
            "--no-save", "--prefix", dir.toString(), "azurite@" + VERSION)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isExecutable(executable)) {
          throw new IOException("npm install azurite@" + VERSION + " failed; see " + log);
        }
        return executable;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not install Azurite " + VERSION + " into " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while installing Azurite", e);
    }
  }

  /**
   * The project's {@code .tools} folder: {@code BUNKER_TOOLS_DIR} if set, else found by walking up
   * from the working directory to the folder holding the root {@code pom.xml} of Bunker.
   */
  static Path toolsDir() {
    String configured = System.getenv("BUNKER_TOOLS_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("host.json"))
          && Files.isRegularFile(candidate.resolve("pom.xml"))) {
        return candidate.resolve(".tools");
      }
    }
    return dir.resolve(".tools");
  }
}
