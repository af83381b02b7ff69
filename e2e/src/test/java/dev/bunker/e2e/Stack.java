package dev.bunker.e2e;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.azure.LocalFileSecretStore;
import dev.bunker.azurite.Azurite;
import dev.bunker.devhost.DevHostProcess;
import dev.bunker.sandbox.AdoSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
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
  static final String OAUTH_CLIENT_ID = "bunker-e2e";
  /** Where the app looks for its app registration's client secret by default. */
  static final String CLIENT_SECRET_NAME = "oauth-client-secret";
  /** The tenant in the authority, as in {@code https://login.microsoftonline.com/<tenant>}. */
  static final String TENANT = "e2e-tenant";

  final Azurite azurite;
  final AdoSandbox sandbox;
  /** Entra ID for the OAuth flow: mock-oauth2-server, whose access tokens the sandbox accepts. */
  final MockOAuth2Server entra;
  final DevHostProcess devhost;
  /** Webhooks on the app's allow-list: a receiver, and a port where nothing listens. */
  final WebhookReceiver webhooks;
  final String unreachableWebhookOrigin;
  final Api api;
  final Path work;
  /** The packaged app devhost runs. */
  final Path app;
  private final Path clockFile;
  private final Set<String> secrets;
  private final Set<String> bearerTokens;

  private Stack(Azurite azurite, AdoSandbox sandbox, MockOAuth2Server entra, DevHostProcess devhost,
      WebhookReceiver webhooks, String unreachableWebhookOrigin, Path work, Path app, Path clockFile,
      Set<String> secrets, Set<String> bearerTokens) {
    this.secrets = secrets;
    this.bearerTokens = bearerTokens;
    this.azurite = azurite;
    this.sandbox = sandbox;
    this.entra = entra;
    this.devhost = devhost;
    this.webhooks = webhooks;
    this.unreachableWebhookOrigin = unreachableWebhookOrigin;
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
    MockOAuth2Server entra = new MockOAuth2Server();
    entra.start();
    Set<String> secrets = ConcurrentHashMap.newKeySet();
    String authority = entra.url(TENANT).toString().replaceAll("/+$", "");
    // Azure DevOps accepts Entra ID access tokens; each one is a secret the scan looks for
    Set<String> bearerTokens = ConcurrentHashMap.newKeySet();
    sandbox.acceptBearerTokens(token -> {
      boolean ours = Jwt.issuer(token).startsWith(authority);
      if (ours) {
        secrets.add(token);
        bearerTokens.add(token);
      }
      return ours;
    });
    String clientSecret = "client-secret-" + UUID.randomUUID();
    secrets.add(clientSecret);
    Path appWork = work.resolve("app");
    // the app's local secret store (no Key Vault locally) holds the app registration's secret
    Files.createDirectories(appWork.resolve(".data"));
    LocalFileSecretStore.open(appWork.resolve(".data").resolve("secrets.json"), Map.of())
        .put(CLIENT_SECRET_NAME, clientSecret);
    int port = DevHostProcess.freePort();
    Path clockFile = work.resolve("clock");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("FUNCTIONS_WORKER_RUNTIME", "java");
    settings.put("AzureWebJobsStorage", azurite.connectionString());
    settings.put("BACKUP_STORAGE", azurite.connectionString());
    settings.put("BACKUP_CONTAINER", BACKUP_CONTAINER);
    settings.put("ALLOWED_ORGANIZATION_URLS", sandbox.url() + "/");
    settings.put("BUNKER_LOCAL_CLOCK_FILE", clockFile.toString());
    WebhookReceiver webhooks = WebhookReceiver.start();
    String unreachableWebhookOrigin = "http://127.0.0.1:" + DevHostProcess.freePort();
    settings.put("ALLOWED_WEBHOOK_HOSTS", webhooks.origin() + "," + unreachableWebhookOrigin);
    settings.put("OAUTH_CLIENT_ID", OAUTH_CLIENT_ID);
    settings.put("OAUTH_AUTHORITY", authority);
    settings.put("OAUTH_REDIRECT_URI", "http://localhost:" + port + "/api/oauth/callback");
    Path app = Path.of(System.getProperty("bunker.app", "../functions/target/azure-functions/bunker"));
    DevHostProcess devhost;
    try {
      devhost = DevHostProcess.forApp(app).workingDirectory(appWork).port(port).settings(settings).start("bunker");
    } catch (IOException | RuntimeException e) {
      webhooks.close();
      entra.shutdown();
      sandbox.close();
      throw e;
    }
    return new Stack(azurite, sandbox, entra, devhost, webhooks, unreachableWebhookOrigin, work, app, clockFile,
        secrets, bearerTokens);
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

  /** Every secret handed to Bunker or issued to it so far. */
  Set<String> secrets() {
    return Set.copyOf(secrets);
  }

  /** The Entra ID access tokens the sandbox has accepted so far. */
  Set<String> bearerTokens() {
    return Set.copyOf(bearerTokens);
  }

  /** The app's local secret store (there is no Key Vault locally). */
  LocalFileSecretStore secretStore() {
    return LocalFileSecretStore.open(work.resolve("app").resolve(".data").resolve("secrets.json"), Map.of());
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
      webhooks.close();
      entra.shutdown();
      sandbox.close();
    }
  }

  static void deleteRecursively(Path directory) throws IOException {
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
