package dev.bunker.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Just enough server to check the browser harness and the console shell without the rest of
 * Bunker: {@link ConsoleFunction} behind a real HTTP port, empty organization and credential lists,
 * and 404 problem+json for every other API call. Not a stand-in for the API's behaviour.
 */
final class ConsoleStandInServer implements AutoCloseable {
  private final HttpServer server;

  private ConsoleStandInServer(HttpServer server) {
    this.server = server;
  }

  static ConsoleStandInServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ConsoleFunction console = new ConsoleFunction();
    server.createContext("/api/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/console")) {
          send(exchange, console.page(request(exchange)));
        } else if (path.startsWith("/api/console/")) {
          send(exchange, console.file(request(exchange), path.substring("/api/console/".length())));
        } else if (List.of("/api/organizations", "/api/credentials").contains(path)
            && exchange.getRequestMethod().equals("GET")) {
          send(exchange, 200, "application/json", "[]");
        } else {
          send(exchange, 404, "application/problem+json",
              "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Not in the stand-in.\"}");
        }
      }
    });
    server.start();
    return new ConsoleStandInServer(server);
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The same server under another origin (a different host name), for origin checks. */
  String otherOriginUrl() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static FakeHttpRequest request(HttpExchange exchange) {
    FakeHttpRequest request = FakeHttpRequest.get(exchange.getRequestURI().toString());
    exchange.getRequestHeaders().forEach((name, values) -> request.header(name, values.get(0)));
    return request;
  }

  private static void send(HttpExchange exchange, HttpResponseMessage response) throws IOException {
    FakeHttpRequest.Response built = (FakeHttpRequest.Response) response;
    built.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    Object body = built.getBody();
    byte[] bytes = body == null ? new byte[0]
        : body instanceof byte[] raw ? raw : body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(built.getStatusCode(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  Map<String, String> env() {
    return Map.of("BUNKER_URL", url(), "BUNKER_OTHER_ORIGIN_URL", otherOriginUrl());
  }
}
