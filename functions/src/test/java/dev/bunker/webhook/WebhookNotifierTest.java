package dev.bunker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Secret;
import dev.bunker.core.notify.Notification;
import dev.bunker.core.notify.NotificationEvent;
import dev.bunker.core.notify.NotificationKind;
import dev.bunker.core.notify.Notifier;
import dev.bunker.core.notify.Webhook;
import dev.bunker.testing.ManualClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP adapter against a real local server: formats, signature, allow-list, no redirects. */
class WebhookNotifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Notification FAILED_RUN = new Notification("run-r1", NotificationEvent.RUN_FAILED, "org1",
      "https://dev.azure.com/contoso", "r1", RunStatus.PARTIALLY_SUCCEEDED, new RunReport.Counts(2, 0, 0, 1, 1, 0),
      null, List.of(new Notification.Failure("Web", "site", "access <denied> & more")),
      "https://bunker.example.com/api/console#/organizations/org1/runs/r1", Instant.parse("2026-05-01T10:00:00Z"));

  private record Post(String path, Map<String, List<String>> headers, String body) {}

  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final ManualClock clock = ManualClock.at("2026-05-01T10:00:05Z");
  private HttpServer server;
  private WebhookNotifier notifier;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      posts.add(new Post(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      if (exchange.getRequestURI().getPath().startsWith("/moved")) {
        exchange.getResponseHeaders().add("Location", "https://attacker.example.net/collect");
        exchange.sendResponseHeaders(307, -1);
      } else {
        exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/broken") ? 500 : 200, -1);
      }
      exchange.close();
    });
    server.start();
    notifier = new WebhookNotifier(WebhookHosts.parse(origin() + ",hooks.slack.com", false),
        WebhookNotifier.defaultHttpClient(), clock);
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  private String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Webhook webhook(NotificationKind kind, String path, String signingSecret) {
    return new Webhook("t1", kind, Secret.of(origin() + path), signingSecret == null ? null : Secret.of(signingSecret));
  }

  @Test
  void teamsGetsAnAdaptiveCardMessage() throws Exception {
    notifier.deliver(webhook(NotificationKind.TEAMS, "/teams/secret", null), FAILED_RUN);

    JsonNode message = JSON.readTree(posts.get(0).body());
    assertThat(message.get("type").asText()).isEqualTo("message");
    JsonNode attachment = message.get("attachments").get(0);
    assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode card = attachment.get("content");
    assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.get("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
    assertThat(card.get("body").toString()).contains("backup failed").contains("Web/site").contains("access <denied>");
    assertThat(card.get("actions").get(0).get("url").asText()).isEqualTo(FAILED_RUN.link());
  }

  @Test
  void slackGetsTextAndBlocksWithMrkdwnEscaped() throws Exception {
    notifier.deliver(webhook(NotificationKind.SLACK, "/slack/secret", null), FAILED_RUN);

    JsonNode message = JSON.readTree(posts.get(0).body());
    assertThat(message.get("text").asText()).contains("backup failed");
    assertThat(message.get("blocks").get(0).get("type").asText()).isEqualTo("header");
    assertThat(message.get("blocks").toString()).contains("access &lt;denied&gt; &amp; more");
  }

  @Test
  void genericGetsTheDocumentSignedOverTimestampAndBody() throws Exception {
    notifier.deliver(webhook(NotificationKind.GENERIC, "/generic/secret", "signing-secret-0123456789"), FAILED_RUN);

    Post post = posts.get(0);
    String timestamp = post.headers().get("X-bunker-timestamp").get(0);
    assertThat(timestamp).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("signing-secret-0123456789".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of().formatHex(mac.doFinal((timestamp + "." + post.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(post.headers().get("X-bunker-signature")).containsExactly("sha256=" + expected);
    assertThat(post.headers().get("X-bunker-delivery")).containsExactly("run-r1");
    JsonNode document = JSON.readTree(post.body());
    assertThat(document.get("version").asInt()).isEqualTo(1);
    assertThat(document.get("event").asText()).isEqualTo("runFailed");
    assertThat(document.get("run").get("status").asText()).isEqualTo("partiallySucceeded");
    assertThat(document.get("run").get("counts").get("failed").asInt()).isEqualTo(1);
    assertThat(document.get("failures").get(0).get("repository").asText()).isEqualTo("site");
  }

  @Test
  void aRedirectIsNotFollowedAndFailsWithoutTheUrl() {
    assertThatThrownBy(() -> notifier.deliver(webhook(NotificationKind.SLACK, "/moved/secret-token", null), FAILED_RUN))
        .isInstanceOf(Notifier.DeliveryException.class)
        .hasMessageContaining("HTTP 307").hasMessageContaining("not followed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-token").doesNotContain("attacker"));
    assertThat(posts).hasSize(1);
  }

  @Test
  void anErrorStatusAndAnUnreachableHostFailWithoutTheUrl() throws Exception {
    assertThatThrownBy(
        () -> notifier.deliver(webhook(NotificationKind.SLACK, "/broken/secret-token", null), FAILED_RUN))
        .hasMessage("the webhook answered HTTP 500");
    int port = server.getAddress().getPort();
    server.stop(0);
    WebhookNotifier closed = new WebhookNotifier(WebhookHosts.parse("http://127.0.0.1:" + port, false),
        WebhookNotifier.defaultHttpClient(), clock);
    assertThatThrownBy(() -> closed.deliver(webhook(NotificationKind.SLACK, "/secret-token", null), FAILED_RUN))
        .hasMessageStartingWith("could not reach the webhook")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-token"));
  }

  @Test
  void aUrlOffTheAllowListIsNeverContacted() {
    WebhookNotifier strict = new WebhookNotifier(WebhookHosts.parse(WebhookHosts.DEFAULTS, false),
        WebhookNotifier.defaultHttpClient(), clock);
    assertThatThrownBy(() -> strict.deliver(webhook(NotificationKind.SLACK, "/secret", null), FAILED_RUN))
        .hasMessageStartingWith("not sent: must be an https URL");
    assertThat(posts).isEmpty();
  }

  @Test
  void theDefaultsAdmitTeamsWorkflowsAndSlackOverHttpsOnly() {
    WebhookHosts hosts = WebhookHosts.parse(WebhookHosts.DEFAULTS, true);
    assertThat(hosts.refusal(URI.create("https://contoso.webhook.office.com/webhookb2/x"))).isEmpty();
    assertThat(hosts.refusal(URI.create("https://prod-12.westeurope.logic.azure.com:443/workflows/x"))).isEmpty();
    assertThat(hosts.refusal(URI.create("https://default1.ab.environment.api.powerplatform.com/powerautomate/x")))
        .isEmpty();
    assertThat(hosts.refusal(URI.create("https://hooks.slack.com/services/T0/B0/x"))).isEmpty();
    assertThat(hosts.refusal(URI.create("http://hooks.slack.com/services/T0/B0/x"))).contains("must be an https URL");
    assertThat(hosts.refusal(URI.create("https://webhook.office.com/x"))).isPresent();
    assertThat(hosts.refusal(URI.create("https://evil.webhook.office.com.attacker.net/x"))).isPresent();
    assertThat(hosts.refusal(URI.create("https://hooks.slack.com:8443/x"))).isPresent();
    assertThat(hosts.refusal(URI.create("https://u:p@hooks.slack.com/x"))).isPresent();
  }

  @Test
  void httpEntriesAreRefusedInAzure() {
    assertThatThrownBy(() -> WebhookHosts.parse("http://127.0.0.1:8080", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be https in Azure");
    assertThatThrownBy(() -> WebhookHosts.parse("https://hooks.contoso.com/path", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
