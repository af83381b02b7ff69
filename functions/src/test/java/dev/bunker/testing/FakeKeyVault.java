package dev.bunker.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Key-Vault-compatible HTTPS server for tests: the secrets data plane that the real
 * {@code SecretClient} uses (set, get, delete with soft delete, get deleted, recover), with Key
 * Vault's bearer challenge and error bodies. Key Vault itself cannot run here.
 */
public final class FakeKeyVault implements AutoCloseable {
  public static final String TENANT = MockEntraId.TENANT;
  private static final Pattern SECRET = Pattern.compile("/secrets/([^/]+)(?:/([^/]*))?");
  private static final Pattern DELETED = Pattern.compile("/deletedsecrets/([^/]+)(/recover)?");
  private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final SelfSignedCertificate certificate;
  private final Predicate<String> acceptsToken;
  private final Map<String, List<Version>> secrets = new HashMap<>();
  private final Map<String, List<Version>> deleted = new HashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger forbidden = new AtomicInteger();

  private record Version(String id, String value) {}

  public FakeKeyVault(SelfSignedCertificate certificate, String acceptedToken) {
    this(certificate, acceptedToken::equals);
  }

  /** A vault accepting the bearer tokens {@code acceptsToken} approves. */
  public FakeKeyVault(SelfSignedCertificate certificate, Predicate<String> acceptsToken) {
    this.acceptsToken = acceptsToken;
    this.certificate = certificate;
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    server.createContext("/", this::handle);
    server.start();
  }

  public URI vaultUri() {
    return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
  }

  /** The certificate the server presents; clients must trust it. */
  public SelfSignedCertificate certificate() {
    return certificate;
  }

  /** Requests seen, as {@code METHOD path}, for assertions on what the client did. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The next {@code count} authenticated requests get 403, as when the identity lacks a role. */
  public void forbidNext(int count) {
    forbidden.set(count);
  }

  public synchronized boolean isSoftDeleted(String name) {
    return deleted.containsKey(name);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(method + " " + path);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null) {
        exchange.getResponseHeaders().add("WWW-Authenticate",
            "Bearer authorization=\"https://login.microsoftonline.com/"
                + TENANT + "\", resource=\"https://vault.azure.net\"");
        send(exchange, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
        return;
      }
      if (!authorization.startsWith("Bearer ") || !acceptsToken.test(authorization.substring("Bearer ".length()))) {
        send(exchange, 401, error("Unauthorized", "AKV10032: Invalid issuer."));
        return;
      }
      if (exchange.getRequestURI().getQuery() == null
          || !exchange.getRequestURI().getQuery().contains("api-version=")) {
        send(exchange, 400, error("BadParameter", "The api-version parameter is missing."));
        return;
      }
      if (forbidden.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(exchange, 403, error("Forbidden", "Caller is not authorized to perform action on resource."));
        return;
      }
      synchronized (this) {
        route(exchange, method, path, body);
      }
    }
  }

  private void route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
    Matcher secret = SECRET.matcher(path);
    Matcher deletedSecret = DELETED.matcher(path);
    if (secret.matches() && NAME.matcher(secret.group(1)).matches()) {
      String name = secret.group(1);
      String version = secret.group(2) == null ? "" : secret.group(2);
      switch (method) {
        case "PUT" -> setSecret(exchange, name, body);
        case "GET" -> getSecret(exchange, name, version);
        case "DELETE" -> deleteSecret(exchange, name);
        default -> send(exchange, 405, error("BadParameter", "Method not allowed"));
      }
    } else if (deletedSecret.matches()) {
      String name = deletedSecret.group(1);
      boolean recover = deletedSecret.group(2) != null;
      if (!deleted.containsKey(name)) {
        send(exchange, 404, error("SecretNotFound", "Deleted Secret not found: " + name));
      } else if (recover && method.equals("POST")) {
        secrets.put(name, deleted.remove(name));
        send(exchange, 200, bundle(name, last(secrets.get(name)), false));
      } else if (method.equals("GET")) {
        send(exchange, 200, deletedBundle(name));
      } else {
        send(exchange, 405, error("BadParameter", "Method not allowed"));
      }
    } else {
      send(exchange, 400, error("BadParameter", "The request URI contains an invalid name: " + path));
    }
  }

  private void setSecret(HttpExchange exchange, String name, byte[] body) throws IOException {
    if (deleted.containsKey(name)) {
      ObjectNode conflict = error("Conflict", "Secret " + name + " is currently in a deleted but recoverable state, "
          + "and its name cannot be reused; in this state, the secret can only be recovered or purged.");
      ((ObjectNode) conflict.get("error")).putObject("innererror").put("code", "ObjectIsDeletedButRecoverable");
      send(exchange, 409, conflict);
      return;
    }
    String value = JSON.readTree(body).path("value").asText(null);
    if (value == null) {
      send(exchange, 400, error("BadParameter", "Property 'value' is required."));
      return;
    }
    Version version = new Version(UUID.randomUUID().toString().replace("-", ""), value);
    secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(version);
    send(exchange, 200, bundle(name, version, true));
  }

  private void getSecret(HttpExchange exchange, String name, String versionId) throws IOException {
    List<Version> versions = secrets.get(name);
    Version version = versions == null ? null : versionId.isEmpty() ? last(versions)
        : versions.stream().filter(v -> v.id().equals(versionId)).findFirst().orElse(null);
    if (version == null) {
      send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name
          + " was not found in this key vault. If you recently deleted this secret you may be able to recover it"
          + " using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"));
      return;
    }
    send(exchange, 200, bundle(name, version, true));
  }

  private void deleteSecret(HttpExchange exchange, String name) throws IOException {
    List<Version> versions = secrets.remove(name);
    if (versions == null) {
      send(exchange, 404,
          error("SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault."));
      return;
    }
    deleted.put(name, versions);
    send(exchange, 200, deletedBundle(name));
  }

  private static Version last(List<Version> versions) {
    return versions.get(versions.size() - 1);
  }

  private ObjectNode bundle(String name, Version version, boolean withValue) {
    ObjectNode node = JSON.createObjectNode();
    if (withValue) {
      node.put("value", version.value());
    }
    node.put("id", vaultUri() + "secrets/" + name + "/" + version.id());
    ObjectNode attributes = node.putObject("attributes");
    attributes.put("enabled", true);
    attributes.put("created", 1_764_000_000L);
    attributes.put("updated", 1_764_000_000L);
    attributes.put("recoveryLevel", "Recoverable+Purgeable");
    attributes.put("recoverableDays", 90);
    node.putObject("tags");
    return node;
  }

  private ObjectNode deletedBundle(String name) {
    ObjectNode node = bundle(name, last(deleted.get(name)), false);
    node.put("recoveryId", vaultUri() + "deletedsecrets/" + name);
    node.put("deletedDate", 1_764_000_100L);
    node.put("scheduledPurgeDate", 1_771_776_100L);
    return node;
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.putObject("error").put("code", code).put("message", message);
    return node;
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().add("x-ms-keyvault-service-version", "1.9.0.0");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
