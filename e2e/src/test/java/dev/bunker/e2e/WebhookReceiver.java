package dev.bunker.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP server standing in for Teams, Slack and generic webhooks: it keeps every post and answers 200. */
final class WebhookReceiver implements AutoCloseable {
  /** One post: its path, headers (names in lower case) and body. */
  record Post(String path, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/", exchange -> {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        receiver.posts.add(new Post(exchange.getRequestURI().getPath(), headers, body));
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The origin to put on the app's webhook allow-list, e.g. {@code http://127.0.0.1:53122}. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The posts to paths starting with {@code prefix}, oldest first. */
  List<Post> postsTo(String prefix) {
    return posts.stream().filter(post -> post.path().startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
