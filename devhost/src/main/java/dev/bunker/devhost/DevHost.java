package dev.bunker.devhost;

import dev.bunker.azurite.Azurite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The devhost command: optionally starts Azurite with persistent data, reads
 * {@code local.settings.json} (deriving it from the example when missing), and runs the
 * {@link FunctionHost} in a child JVM whose environment holds the app settings, because a JVM
 * cannot change its own environment and the app reads its settings from there. Stopping this
 * process (SIGTERM, Ctrl-C) stops the host gracefully, then Azurite.
 *
 * <pre>
 * java -jar devhost.jar [--app DIR] [--settings FILE] [--port N] [--azurite DATA_DIR]
 *     [--max-concurrency N] [--shutdown-grace PT20S] [--queue-lease PT10M]
 * </pre>
 */
public final class DevHost {
  static final String DEFAULT_APP = "functions/target/azure-functions/bunker";
  private static final int[] AZURITE_PORTS = {10000, 10001, 10002};

  private DevHost() {
  }

  public static void main(String[] args) throws Exception {
    CommandLine line;
    FunctionHost.Options options;
    try {
      line = CommandLine.parse(args);
      options = line.hostOptions();
    } catch (IllegalArgumentException e) {
      System.err.println("devhost: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.isDirectory(options.appDir())) {
      System.err.println("devhost: app directory " + options.appDir()
          + " does not exist; build it first (mvn package) or pass --app");
      System.exit(2);
    }
    Path settingsFile = Path.of(line.value("settings", options.appDir().resolve("local.settings.json").toString()));
    Azurite azurite = null;
    if (line.has("azurite")) {
      Path data = Path.of(line.value("azurite", ".data/azurite")).toAbsolutePath();
      for (int azuritePort : AZURITE_PORTS) {
        if (!isFree(azuritePort)) {
          System.err.println("devhost: port " + azuritePort + " is in use (another Azurite?). Stop it, or run"
              + " devhost without --azurite and point local.settings.json at the storage you have.");
          System.exit(2);
        }
      }
      azurite = Azurite.start(Azurite.Options.inMemory().withPorts(AZURITE_PORTS[0], AZURITE_PORTS[1], AZURITE_PORTS[2])
          .withDataDir(data).withLogFile(data.resolve("azurite.log")));
      Log.info("Azurite " + Azurite.VERSION + " running (blob " + azurite.blobPort() + ", queue "
          + azurite.queuePort() + ", table " + azurite.tablePort() + "), data in " + data);
    }
    Path example = settingsFile.resolveSibling(settingsFile.getFileName() + ".example");
    if (!Files.exists(settingsFile) && Files.isRegularFile(example) && azurite != null) {
      LocalSettings.derive(example, settingsFile, azurite.connectionString());
      Log.info("Created " + settingsFile + " from " + example.getFileName() + " (storage: the local Azurite)");
    }
    LocalSettings settings;
    try {
      settings = LocalSettings.read(settingsFile);
    } catch (HostConfigurationException e) {
      System.err.println("devhost: " + e.getMessage());
      stop(azurite);
      System.exit(2);
      return;
    }
    int port = line.has("port") ? options.port() : settings.localHttpPort().orElse(options.port());

    Map<String, String> environment = settings.environment(Map.copyOf(System.getenv()));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(workerJvmArguments(environment));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FunctionHost.class.getName());
    command.addAll(line.hostArguments());
    command
        .addAll(List.of("--app", options.appDir().toString(), "--port", Integer.toString(port), "--exit-with-parent"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process host = builder.start();
    Azurite startedAzurite = azurite;
    Duration patience = options.shutdownGrace().plusSeconds(15);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      host.destroy(); // SIGTERM: the host finishes or returns what it is doing
      try {
        if (!host.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
          host.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stop(startedAzurite);
    }, "devhost-launcher-stop"));
    int exit = host.waitFor();
    System.exit(exit);
  }

  /**
   * The Java worker's default options (Azure/azure-functions-java-worker, worker.config.json:
   * {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -noverify -Djava.net.preferIPv4Stack=true}),
   * so devhost compiles with C1 only, as Azure does unless told otherwise. {@code -noverify} is left
   * out: JDK 13+ only warns that it is deprecated.
   */
  static final List<String> WORKER_DEFAULT_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
      "-Djava.net.preferIPv4Stack=true");

  /**
   * The worker JVM's options in the order the Functions host puts them on the worker's command line
   * (Azure/azure-functions-host, RpcWorkerConfigFactory.AddArgumentsFromAppSettings and
   * DefaultWorkerProcessFactory): the worker's defaults, then {@code JAVA_OPTS} (expanded from the
   * environment), then the app setting {@code languageWorkers__java__arguments} split on whitespace.
   * HotSpot takes the last of repeated options, so either setting can undo a default (e.g.
   * {@code -XX:TieredStopAtLevel=4}); functions-reference-java ("Customize JVM") names the app
   * setting for the Consumption plan and {@code JAVA_OPTS} for Premium and Dedicated.
   */
  static List<String> workerJvmArguments(Map<String, String> environment) {
    List<String> arguments = new ArrayList<>(WORKER_DEFAULT_OPTIONS);
    for (String setting : List.of("JAVA_OPTS", "languageWorkers__java__arguments")) {
      String value = environment.getOrDefault(setting, "").strip();
      if (!value.isEmpty()) {
        arguments.addAll(List.of(value.split("\\s+")));
      }
    }
    return arguments;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void stop(Azurite azurite) {
    if (azurite != null) {
      azurite.close();
    }
  }
}
