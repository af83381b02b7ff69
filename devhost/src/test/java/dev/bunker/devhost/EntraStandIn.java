package dev.bunker.devhost;

import static dev.bunker.testing.UrlEncoding.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
 * Microsoft Entra ID's v2 endpoints for one tenant and one app registration, as the console's
 * sign-in meets them: mock-oauth2-server behind a front that does what the mock does not.
 * <ul>
 *   <li>{@code GET /{tenant}/oauth2/v2.0/authorize} refuses a redirect URI other than the
 *   registered one (AADSTS50011) and prompt values Entra does not take, {@code admin_consent}
 *   among them (AADSTS901001), records the request and sends the browser on to the mock.</li>
 *   <li>{@code GET /{tenant}/v2.0/adminconsent}, the admin consent endpoint, shows a consent page
 *   for the administrator; Accept answers the redirect URI with {@code admin_consent=True}, the
 *   tenant and the state (no code), Cancel with {@code access_denied} (AADSTS65004).</li>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token} passes through to the mock unchanged, so tokens
 *   carry the mock's issuer.</li>
 *   <li>{@code GET /recorded/requests} lists the authorize and admin consent requests, oldest
 *   first: their query parameters plus {@code endpoint}.</li>
 * </ul>
 */
final class EntraStandIn implements AutoCloseable {
  /** The prompt values Entra's v2 authorize endpoint takes. */
  static final Set<String> PROMPTS = Set.of("login", "none", "consent", "select_account", "create");
  /** The id Entra answers an admin consent with: the tenant's GUID. */
  static final String TENANT_ID = "5f0e1c2a-7b3d-4e8f-9a10-b2c3d4e5f601";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockOAuth2Server mock;
  private final String tenant;
  private final String clientId;
  private final URI redirectUri;
  private final Server server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

  private EntraStandIn(MockOAuth2Server mock, String tenant, String clientId, URI redirectUri) {
    this.mock = mock;
    this.tenant = tenant;
    this.clientId = clientId;
    this.redirectUri = redirectUri;
    this.server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        route(request, response, callback);
        return true;
      }
    });
  }

  /** Starts a front for {@code tenant} of the started {@code mock}, with one app registration. */
  static EntraStandIn start(MockOAuth2Server mock, String tenant, String clientId, URI redirectUri) throws Exception {
    EntraStandIn standIn = new EntraStandIn(mock, tenant, clientId, redirectUri);
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

  private void route(Request request, Response response, Callback callback) throws IOException, InterruptedException {
    String path = Request.getPathInContext(request);
    boolean get = "GET".equals(request.getMethod());
    if (get && path.equals("/" + tenant + "/oauth2/v2.0/authorize")) {
      authorize(query(request), response, callback);
    } else if (get && path.equals("/" + tenant + "/v2.0/adminconsent")) {
      adminConsent(query(request), response, callback);
    } else if (get && path.equals("/" + tenant + "/v2.0/adminconsent/answer")) {
      answerAdminConsent(query(request), response, callback);
    } else if ("POST".equals(request.getMethod()) && path.equals("/" + tenant + "/oauth2/v2.0/token")) {
      token(request, response, callback);
    } else if (get && path.equals("/recorded/requests")) {
      reply(response, callback, 200, "application/json", JSON.writeValueAsString(requests));
    } else {
      reply(response, callback, 404, "text/plain", "no such endpoint: " + request.getMethod() + " " + path);
    }
  }

  private void authorize(Map<String, String> query, Response response, Callback callback) {
    record("authorize", query);
    String refusal = refusal(query, "client_id", "redirect_uri", "response_type", "scope");
    String prompt = query.get("prompt");
    if (refusal == null && prompt != null && !PROMPTS.contains(prompt)) {
      refusal = "AADSTS901001: Invalid request. The prompt request parameter value '" + prompt + "' is invalid.";
    }
    if (refusal != null) {
      reply(response, callback, 400, "text/plain", refusal);
      return;
    }
    redirect(response, callback, mock.url(tenant + "/oauth2/v2.0/authorize") + "?" + form(query));
  }

  /** The administrator's consent page (Entra lists the permissions; this one names the scope). */
  private void adminConsent(Map<String, String> query, Response response, Callback callback) {
    record("adminconsent", query);
    String refusal = refusal(query, "client_id", "redirect_uri", "scope");
    if (refusal != null) {
      reply(response, callback, 400, "text/plain", refusal);
      return;
    }
    StringBuilder hidden = new StringBuilder();
    for (String name : List.of("redirect_uri", "state", "scope")) {
      hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
          .append(escape(query.getOrDefault(name, ""))).append("\">");
    }
    reply(response, callback, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html lang=\"en\"><head>"
        + "<meta charset=\"utf-8\"><title>Permissions requested</title></head>"
        + "<body style=\"font-family:sans-serif;max-width:30rem;margin:2rem auto\">"
        + "<h1>Permissions requested</h1><p>Accept for your organization</p>"
        + "<p>App <strong>" + escape(query.get("client_id")) + "</strong> wants: <code>" + escape(query.get("scope"))
        + "</code></p><p>If you accept, this app gets access to the specified resources for all users in your "
        + "organization. No one else will be prompted to review these permissions.</p>"
        + "<form method=\"get\" action=\"/" + tenant + "/v2.0/adminconsent/answer\">" + hidden
        + "<button name=\"decision\" value=\"cancel\">Cancel</button> "
        + "<button name=\"decision\" value=\"accept\">Accept</button></form></body></html>");
  }

  private void answerAdminConsent(Map<String, String> query, Response response, Callback callback) {
    Map<String, String> answer = new LinkedHashMap<>();
    if ("accept".equals(query.get("decision"))) {
      answer.put("admin_consent", "True");
      answer.put("tenant", TENANT_ID);
      answer.put("scope", query.get("scope"));
    } else {
      answer.put("error", "access_denied");
      answer.put("error_description", "AADSTS65004: User declined to consent to access the app.");
    }
    if (query.get("state") != null && !query.get("state").isEmpty()) {
      answer.put("state", query.get("state"));
    }
    redirect(response, callback, redirectUri + "?" + form(answer));
  }

  /** Why Entra would refuse the request before showing anything, or null. */
  private String refusal(Map<String, String> query, String... required) {
    for (String name : required) {
      if (query.get(name) == null || query.get(name).isBlank()) {
        return "AADSTS900144: The request body must contain the following parameter: '" + name + "'.";
      }
    }
    if (!clientId.equals(query.get("client_id"))) {
      return "AADSTS700016: Application with identifier '" + query.get("client_id") + "' was not found.";
    }
    if (!redirectUri.toString().equals(query.get("redirect_uri"))) {
      return "AADSTS50011: The redirect URI '" + query.get("redirect_uri") + "' does not match the redirect URIs"
          + " configured for the application.";
    }
    return null;
  }

  private void record(String endpoint, Map<String, String> query) {
    Map<String, String> recorded = new LinkedHashMap<>(query);
    recorded.put("endpoint", endpoint);
    requests.add(Map.copyOf(recorded));
  }

  private static Map<String, String> query(Request request) {
    Map<String, String> query = new LinkedHashMap<>();
    Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    fields.forEach(field -> query.put(field.getName(), field.getValue()));
    return query;
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static void redirect(Response response, Callback callback, String location) {
    response.setStatus(302);
    response.getHeaders().put(HttpHeader.LOCATION, location);
    callback.succeeded();
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
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

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
