package dev.bunker.store.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bunker.testing.GitHttpBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A smart-HTTP git server: CGit's {@code git-http-backend} behind the JDK's HTTP server (a
 * minimal CGI bridge). Serves every bare repository under a root; when a token is set, requires
 * {@code Authorization: Bearer <token>} and then also accepts pushes.
 */
public final class GitHttpServer implements AutoCloseable {
  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "git-http-server");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<String> token = new AtomicReference<>();
  private final List<String> requestUris = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicReference<Redirect> redirect = new AtomicReference<>();

  /** Requests whose path starts with {@code from} move to {@code to} plus the rest of the path. */
  private record Redirect(String from, String to) {}
  private volatile Consumer<String> beforeRequest = request -> {};

  private GitHttpServer(Path root) throws IOException {
    this.root = root;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static GitHttpServer serving(Path root) {
    try {
      return new GitHttpServer(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Requires this bearer token from now on (null: anonymous read, no push). */
  public GitHttpServer requireToken(String bearer) {
    token.set(bearer);
    return this;
  }

  /**
   * Answers requests whose path starts with {@code fromPrefix} with 302 to the same path and query
   * under {@code to} (e.g. another server's {@link #url}); null stops redirecting.
   */
  public GitHttpServer redirect(String fromPrefix, URI to) {
    redirect.set(fromPrefix == null ? null : new Redirect(fromPrefix, to.toString()));
    return this;
  }

  public URI url(String repository) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository);
  }

  /**
   * Runs {@code hook} with each request's method, path and query (e.g. {@code POST
   * /target.git/git-receive-pack}) before serving it, to change a repository between two requests
   * of one push; null for none.
   */
  public GitHttpServer beforeRequest(Consumer<String> hook) {
    beforeRequest = hook == null ? request -> {} : hook;
    return this;
  }

  /** The request paths and query strings seen, to check no credential went into a URL. */
  public List<String> requestLines() {
    return List.copyOf(requestUris);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requestUris.add(exchange.getRequestURI().toString());
      Redirect moved = redirect.get();
      String path = exchange.getRequestURI().getRawPath();
      if (moved != null && path.startsWith(moved.from())) {
        String query = exchange.getRequestURI().getRawQuery();
        exchange.getResponseHeaders().add("Location", moved.to()
            + path.substring(moved.from().length()) + (query == null ? "" : "?" + query));
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      String required = token.get();
      String user = null;
      if (required != null) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + required).equals(given)) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        user = "backup";
      }
      beforeRequest.accept(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      cgi(exchange, user);
    }
  }

  private void cgi(HttpExchange exchange, String user) throws IOException {
    GitHttpBackend.serve(root, new GitHttpBackend.Request(exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders()::getFirst, user, exchange.getRequestBody()), new GitHttpBackend.Response() {
          @Override
          public void header(String name, String value) {
            exchange.getResponseHeaders().add(name, value);
          }

          @Override
          public OutputStream start(int status) throws IOException {
            exchange.sendResponseHeaders(status, 0);
            return exchange.getResponseBody();
          }
        });
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
