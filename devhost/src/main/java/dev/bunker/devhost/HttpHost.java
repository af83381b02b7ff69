package dev.bunker.devhost;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Serves HTTP triggers at {@code http://localhost:<port>/<routePrefix>/<route>}. Requests run on
 * the host's bounded invocation pool. Auth levels are not enforced locally (as with Core Tools).
 * Only requests addressed to a loopback name are served (see {@link #addressedToLoopback}).
 */
final class HttpHost {
  /** Azure's front end (load balancer idle timeout) gives up on an HTTP response after this long. */
  static final Duration FRONT_END_TIMEOUT = Duration.ofSeconds(230);
  /** The names a request to this loopback-only host may carry in its Host header, with any port. */
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  private record Route(FunctionSpec function, RouteTemplate template, Set<String> methods) {
  }

  private final List<Route> routes;
  private final String routePrefix;
  private final Invoker invoker;
  private final ExecutorService invocations;
  private final HttpServer server;
  private final ExecutorService connections;
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean stopping;
  private volatile Function<String, Boolean> adminInvoker;

  HttpHost(List<FunctionSpec> functions, String routePrefix, int port, Invoker invoker, ExecutorService invocations) {
    this.routePrefix = routePrefix;
    this.invoker = invoker;
    this.invocations = invocations;
    List<Route> list = new ArrayList<>();
    for (FunctionSpec function : functions) {
      if (!Binding.HTTP_TRIGGER.equals(function.trigger().type())) {
        continue;
      }
      String template = function.trigger().text("route", function.name());
      RouteTemplate route;
      try {
        route = RouteTemplate.parse(template);
      } catch (HostConfigurationException e) {
        throw new HostConfigurationException("Function '" + function.name() + "': " + e.getMessage());
      }
      Set<String> methods = new TreeSet<>();
      function.trigger().json().path("methods").forEach(m -> methods.add(m.asText().toUpperCase(Locale.ROOT)));
      for (String method : methods) {
        try {
          HttpMethod.valueOf(method);
        } catch (IllegalArgumentException e) {
          throw new HostConfigurationException("Function '" + function.name() + "': unknown HTTP method " + method);
        }
      }
      for (Route other : list) {
        boolean sameMethods = other.methods().isEmpty() || methods.isEmpty()
            || other.methods().stream().anyMatch(methods::contains);
        if (sameMethods && other.template().shape().equals(route.shape())) {
          throw new HostConfigurationException("Functions '" + other.function().name() + "' and '"
              + function.name() + "' both answer " + route + " for the same HTTP methods");
        }
      }
      list.add(new Route(function, route, methods));
    }
    list.sort((a, b) -> a.template().compareSpecificity(b.template()));
    this.routes = List.copyOf(list);
    AtomicInteger threads = new AtomicInteger();
    this.connections = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    // Without TCP_NODELAY, headers and body written separately wait out delayed ACKs (~40 ms a request).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    } catch (IOException e) {
      throw new HostConfigurationException("Cannot listen on localhost:" + port + " (" + e.getMessage()
          + "); is another devhost running? Choose another port with --port", e);
    }
    server.setExecutor(connections);
    server.createContext("/", this::handle);
  }

  void start() {
    server.start();
  }

  /**
   * Serves {@code POST /admin/functions/<name>}, which runs a non-HTTP function now; {@code run}
   * answers whether there is such a function.
   */
  void adminInvocations(Function<String, Boolean> run) {
    this.adminInvoker = run;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The URLs to print at startup, like Core Tools does. */
  List<String> describe() {
    return routes.stream().map(r -> r.function().name() + ": [" + (r.methods().isEmpty() ? "ALL"
        : String.join(",", r.methods())) + "] http://localhost:" + port() + prefixPath() + "/" + r.template())
        .sorted().toList();
  }

  /** Stops accepting requests and waits up to {@code grace} for those in progress. */
  void stop(Duration grace) {
    stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (active) {
      while (active.get() > 0 && System.nanoTime() < deadline) {
        try {
          active.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    // JDK 17's HttpServer.stop always waits its whole delay, hence the own count above.
    server.stop(0);
    connections.shutdownNow();
  }

  private String prefixPath() {
    return routePrefix.isEmpty() ? "" : "/" + routePrefix;
  }

  private void handle(HttpExchange exchange) {
    active.incrementAndGet();
    try (exchange) {
      if (stopping) {
        send(exchange, 503, null, new byte[0]);
        return;
      }
      if (!addressedToLoopback(exchange)) {
        send(exchange, 403, "text/plain; charset=utf-8", ("devhost serves only requests addressed to localhost,"
            + " 127.0.0.1 or [::1], not Host " + String.join(", ", exchange.getRequestHeaders().get("Host"))
            + ": a web page whose name resolves to this machine (DNS rebinding) must not reach the app\n")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/admin/host/status")) {
        send(exchange, 200, "application/json; charset=utf-8",
            "{\"state\":\"Running\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (path.startsWith("/admin/functions/") && "POST".equals(exchange.getRequestMethod())) {
        exchange.getRequestBody().readAllBytes();
        String name = URLDecoder.decode(path.substring("/admin/functions/".length()), StandardCharsets.UTF_8);
        Function<String, Boolean> run = adminInvoker;
        send(exchange, run != null && run.apply(name) ? 202 : 404, null, new byte[0]);
        return;
      }
      String prefix = prefixPath();
      if (!(path.equals(prefix) || path.startsWith(prefix + "/"))) {
        send(exchange, 404, null, new byte[0]);
        return;
      }
      List<String> segments = new ArrayList<>();
      for (String segment : path.substring(prefix.length()).split("/")) {
        if (!segment.isEmpty()) {
          segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
      }
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      for (Route route : routes) {
        Optional<Map<String, String>> values = route.template().match(segments);
        if (values.isPresent() && (route.methods().isEmpty() || route.methods().contains(method))) {
          serve(exchange, route, values.get());
          return;
        }
      }
      send(exchange, 404, null, new byte[0]);
    } catch (IOException e) {
      Log.info("HTTP connection failed: " + e.getMessage());
    } finally {
      synchronized (active) {
        active.decrementAndGet();
        active.notifyAll();
      }
    }
  }

  private void serve(HttpExchange exchange, Route route, Map<String, String> routeValues) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String host = headers.getOrDefault("host", "localhost:" + port());
    URI uri = URI.create("http://" + host + exchange.getRequestURI().toString());
    HttpMethod method = HttpMethod.valueOf(exchange.getRequestMethod().toUpperCase(Locale.ROOT));
    Map<String, Object> metadata = new HashMap<>(query);
    metadata.putAll(routeValues);
    metadata.put("Query", query);
    metadata.put("Headers", headers);
    Invoker.TriggerInput input = new Invoker.TriggerInput() {
      @Override
      public Object bind(Type type) throws BindingException {
        if (Conversions.rawClass(type) == HttpRequestMessage.class) {
          Object converted = Conversions.convert(body, Conversions.typeArgument(type), "request body");
          return new HttpRequest(uri, method, Collections.unmodifiableMap(headers), Collections.unmodifiableMap(query),
              converted);
        }
        return Conversions.convert(body, type, "request body");
      }

      @Override
      public Map<String, Object> metadata() {
        return metadata;
      }

      @Override
      public String reason() {
        return "This function was programmatically called via the host APIs.";
      }
    };
    Invoker.Outcome outcome;
    try {
      Future<Invoker.Outcome> future = invocations.submit(() -> invoker.invoke(route.function(), input));
      outcome = future.get(FRONT_END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      Log.info("Function '" + route.function().name() + "' gave no response within "
          + FRONT_END_TIMEOUT.toSeconds() + " s; Azure's front end cuts such requests off (it goes on running)");
      send(exchange, 504, null, new byte[0]);
      return;
    } catch (RejectedExecutionException e) {
      send(exchange, 503, null, new byte[0]);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 503, null, new byte[0]);
      return;
    } catch (ExecutionException e) {
      outcome = new Invoker.Outcome(false, null, null, e.getCause());
    }
    if (!outcome.succeeded()) {
      // Also when the body could not be bound (malformed JSON for a POJO): the Java worker fails
      // the invocation then, so Azure answers 500 too. Functions that want a 400 bind a String.
      send(exchange, 500, null, new byte[0]);
    } else {
      respond(exchange, route.function(), outcome.httpResponse());
    }
  }

  private void respond(HttpExchange exchange, FunctionSpec function, Object value) throws IOException {
    if (value == null) {
      send(exchange, 204, null, new byte[0]);
      return;
    }
    int status = 200;
    Object body = value;
    if (value instanceof HttpResponseMessage response) {
      status = response.getStatusCode();
      body = response.getBody();
      if (response instanceof HttpResponse ours) {
        ours.headers().forEach((name, headerValue) -> exchange.getResponseHeaders().set(name, headerValue));
      }
    }
    byte[] bytes;
    String contentType;
    if (body == null) {
      bytes = new byte[0];
      contentType = null;
    } else if (body instanceof byte[] raw) {
      bytes = raw;
      contentType = "application/octet-stream";
    } else if (body instanceof String text) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
      contentType = "text/plain; charset=utf-8";
    } else if (body instanceof InputStream stream) {
      // Streamed as the Java worker's HTTP streaming path does: chunked, never held in memory.
      stream(exchange, status, stream);
      return;
    } else if (body instanceof Reader || body instanceof ByteBuffer) {
      // The Java worker cannot send these either: fail here rather than in Azure.
      Log.info("Function '" + function.name() + "' returned a " + body.getClass().getName()
          + " body; the Java worker sends String, byte[], InputStream, primitives and JSON-serializable objects");
      send(exchange, 500, null, new byte[0]);
      return;
    } else if (body instanceof Number || body instanceof Boolean || body instanceof Character) {
      bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      contentType = "text/plain; charset=utf-8";
    } else {
      bytes = Json.MAPPER.writeValueAsBytes(body);
      contentType = "application/json; charset=utf-8";
    }
    send(exchange, status, contentType, bytes);
  }

  /**
   * Whether the Host header names this machine's loopback interface. Any web page can make the
   * browser send requests to localhost; with DNS rebinding (a name of the attacker's that resolves
   * to 127.0.0.1) it may also read the answers, and those requests carry the attacker's name in
   * Host. A request without Host (HTTP/1.0) did not come through such a name.
   */
  private static boolean addressedToLoopback(HttpExchange exchange) {
    List<String> hosts = exchange.getRequestHeaders().get("Host");
    if (hosts == null || hosts.isEmpty()) {
      return true;
    }
    if (hosts.size() > 1) {
      return false;
    }
    String host = hosts.get(0).strip().toLowerCase(Locale.ROOT);
    int portStart = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
    if (portStart <= 0) {
      return LOOPBACK_NAMES.contains(host);
    }
    String port = host.substring(portStart);
    return LOOPBACK_NAMES.contains(host.substring(0, portStart))
        && (port.isEmpty() || port.matches(":[0-9]{1,5}"));
  }

  private static void stream(HttpExchange exchange, int status, InputStream body) throws IOException {
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    }
    try (body) {
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        body.transferTo(out);
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String defaultContentType, byte[] body)
      throws IOException {
    if (defaultContentType != null && !exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", defaultContentType);
    }
    boolean noBody = body.length == 0 || status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return Map.of();
    }
    return Arrays.stream(rawQuery.split("&")).filter(p -> !p.isEmpty()).map(pair -> {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      return Map.entry(name, value);
    }).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a + "," + b, LinkedHashMap::new));
  }
}
