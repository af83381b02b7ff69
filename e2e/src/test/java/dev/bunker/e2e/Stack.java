package dev.bunker.e2e;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.sandbox.AdoSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real parts, started once for the whole suite and shared by every test class: one Azurite,
 * one sandbox Azure DevOps (on the app's allow-list), and the packaged app under one devhost
 * process whose clock the tests can set. Test classes get it with {@code @ExtendWith(Stack.Extension.class)}
 * and a {@code Stack} parameter; it stops when the suite ends.
 */
final class Stack implements AutoCloseable {
  static final String BACKUP_CONTAINER = "backups";

  final Azurite azurite;
  final AdoSandbox sandbox;
  final DevHost devhost;
  final Api api;
  final Path work;
  /** The packaged app devhost runs. */
  final Path app;
  private final Path clockFile;
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  private Stack(Azurite azurite, AdoSandbox sandbox, DevHost devhost, Path work, Path app, Path clockFile) {
    this.azurite = azurite;
    this.sandbox = sandbox;
    this.devhost = devhost;
    this.api = new Api(devhost::uri);
    this.work = work;
    this.app = app;
    this.clockFile = clockFile;
  }

  static Stack start() throws IOException {
    Path work = Path.of(System.getProperty("e2e.work", "target/e2e")).toAbsolutePath();
    deleteRecursively(work);
    Files.createDirectories(work);
    Azurite azurite = Azurite.shared();
    AdoSandbox sandbox = AdoSandbox.start();
    Path clockFile = work.resolve("clock");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("FUNCTIONS_WORKER_RUNTIME", "java");
    settings.put("AzureWebJobsStorage", azurite.connectionString());
    settings.put("BACKUP_STORAGE", azurite.connectionString());
    settings.put("BACKUP_CONTAINER", BACKUP_CONTAINER);
    settings.put("ALLOWED_ORGANIZATION_URLS", sandbox.url() + "/");
    settings.put("BUNKER_LOCAL_CLOCK_FILE", clockFile.toString());
    Path app = Path.of(System.getProperty("bunker.app", "../functions/target/azure-functions/bunker"));
    DevHost devhost;
    try {
      devhost = DevHost.start(app, work.resolve("app"), settings, List.of());
    } catch (IOException | RuntimeException e) {
      sandbox.close();
      throw e;
    }
    return new Stack(azurite, sandbox, devhost, work, app, clockFile);
  }

  /** A new PAT the sandbox accepts, remembered for the secret scan. */
  String newPat() {
    return secret(sandbox.pat());
  }

  /** Remembers a secret that must never show up outside the secret store. */
  String secret(String value) {
    secrets.add(value);
    return value;
  }

  Set<String> secrets() {
    return Set.copyOf(secrets);
  }

  /** Sets the app's clock to {@code time} (it runs on from there); {@code null} gives back the system clock. */
  void setClock(Instant time) {
    try {
      if (time == null) {
        Files.deleteIfExists(clockFile);
        return;
      }
      Path next = clockFile.resolveSibling("clock.next");
      Files.writeString(next, time.toString());
      Files.move(next, clockFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TableServiceClient tables() {
    return new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient();
  }

  QueueServiceClient queues() {
    return new QueueServiceClientBuilder().connectionString(azurite.connectionString()).buildClient();
  }

  BlobContainerClient backups() {
    return new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
        .getBlobContainerClient(BACKUP_CONTAINER);
  }

  /** A fresh directory for one test's files. */
  Path directory(String name) {
    try {
      return Files.createDirectories(work.resolve("tests").resolve(name + "-" + System.nanoTime()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      devhost.close();
    } finally {
      sandbox.close();
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Starts the stack on first use and stops it when the whole suite has run. */
  static final class Extension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
      stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return stack(context);
    }

    private static Stack stack(ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(Stack.class, key -> {
            try {
              return start();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }, Stack.class);
    }
  }
}
