package dev.bunker.devhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Microsoft Entra ID's v2 endpoints for one tenant, as the console's sign-in meets them:
 * mock-oauth2-server behind a front that reads the authorize request the way Entra does. The mock
 * refuses {@code prompt=admin_consent} (not an OpenID Connect prompt value), which Entra takes to
 * ask an administrator to consent for the whole tenant; the front records every authorize request,
 * refuses prompt values Entra does not know (AADSTS90023), drops {@code admin_consent} (the mock's
 * sign-in then stands in for the administrator's consent) and sends the browser on to the mock.
 * Token requests pass through to the mock unchanged, so tokens carry the mock's issuer.
 * {@code GET /recorded/authorize} lists the authorize requests' query parameters, oldest first.
 */
final class EntraStandIn implements AutoCloseable {
  /** The prompt values Entra's v2 authorize endpoint takes. */
  static final Set<String> PROMPTS = Set.of("login", "none", "consent", "select_account", "create", "admin_consent");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockOAuth2Server mock;
  private final String tenant;
  private final Server server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Map<String, String>> authorizeRequests = new CopyOnWriteArrayList<>();

  private EntraStandIn(MockOAuth2Server mock, String tenant) {
    this.mock = mock;
    this.tenant = tenant;
    this.server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        route(request, response, callback);
        return true;
      }
    });
  }

  /** Starts a front for {@code tenant} of the started {@code mock}. */
  static EntraStandIn start(MockOAuth2Server mock, String tenant) throws Exception {
    EntraStandIn standIn = new EntraStandIn(mock, tenant);
    standIn.server.start();
    return standIn;
  }

  /** The root URL, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
  String url() {
    return "http://127.0.0.1:" + ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** What Bunker's OAUTH_AUTHORITY names: endpoints are {@code {authority}/oauth2/v2.0/authorize} and {@code …/token}. */
  String authority() {
    return url() + "/" + tenant;
  }

  /** The issuer of the tokens the mock grants (the {@code iss} claim). */
  String issuer() {
    return mock.issuerUrl(tenant).toString();
  }

  List<Map<String, String>> authorizeRequests() {
    return List.copyOf(authorizeRequests);
  }

  private void route(Request request, Response response, Callback callback) throws IOException, InterruptedException {
    String path = Request.getPathInContext(request);
    String endpoints = "/" + tenant + "/oauth2/v2.0/";
    if ("GET".equals(request.getMethod()) && path.equals(endpoints + "authorize")) {
      authorize(request, response, callback);
    } else if ("POST".equals(request.getMethod()) && path.equals(endpoints + "token")) {
      token(request, response, callback);
    } else if ("GET".equals(request.getMethod()) && path.equals("/recorded/authorize")) {
      reply(response, callback, 200, "application/json", JSON.writeValueAsString(authorizeRequests));
    } else {
      reply(response, callback, 404, "text/plain", "no such endpoint: " + request.getMethod() + " " + path);
    }
  }

  private void authorize(Request request, Response response, Callback callback) {
    Map<String, String> query = new LinkedHashMap<>();
    Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    fields.forEach(field -> query.put(field.getName(), field.getValue()));
    authorizeRequests.add(Map.copyOf(query));
    String prompt = query.get("prompt");
    if (prompt != null && !PROMPTS.contains(prompt)) {
      reply(response, callback, 400, "text/plain", "AADSTS90023: Invalid prompt value " + prompt);
      return;
    }
    if ("admin_consent".equals(prompt)) {
      query.remove("prompt");
    }
    String forward = mock.url(tenant + "/oauth2/v2.0/authorize") + "?" + query.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    response.setStatus(302);
    response.getHeaders().put(HttpHeader.LOCATION, forward);
    callback.succeeded();
  }

  private void token(Request request, Response response, Callback callback) throws IOException, InterruptedException {
    HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(mock.url(tenant + "/oauth2/v2.0/token").toString()))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(Content.Source.asString(request, StandardCharsets.UTF_8)));
    for (HttpHeader header : List.of(HttpHeader.CONTENT_TYPE, HttpHeader.AUTHORIZATION, HttpHeader.ACCEPT)) {
      String value = request.getHeaders().get(header);
      if (value != null) {
        forward.header(header.asString(), value);
      }
    }
    HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
    reply(response, callback, answer.statusCode(),
        answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
  }

  private static void reply(Response response, Callback callback, int status, String contentType, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    Content.Sink.write(response, true, body, callback);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
