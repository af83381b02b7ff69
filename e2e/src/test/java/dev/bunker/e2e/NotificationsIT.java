package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.sandbox.Organization;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications from the app itself, through devhost, to a real HTTP receiver on the app's webhook
 * allow-list: a failed run posts a Teams card and a signed generic document; a succeeded run posts
 * nothing unless asked; an unreachable webhook neither fails nor delays the run, and its failure is
 * recorded; bad targets are refused and change nothing. Every webhook URL and signing secret is a
 * secret for {@link SecretsIT}.
 */
@ExtendWith(Stack.Extension.class)
@Order(6)
class NotificationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private final Stack stack;

  NotificationsIT(Stack stack) {
    this.stack = stack;
  }

  /** An organization with one repository, registered with a PAT of its own (revoking it fails the next run). */
  private record Registered(String id, String pat) {}

  private Registered register(String name) {
    Organization source = stack.sandbox.organization(name);
    source.project("Web").repository("site").withCommits(2);
    String pat = stack.newPat();
    return new Registered(stack.api.registerWithPat(source.url().toString(), pat, null).get("id").asText(), pat);
  }

  /** A webhook URL whose path is a secret token, as Teams and Slack make them. */
  private String webhookUrl(String origin, String kind) {
    return stack.secret(origin + "/" + kind + "/" + UUID.randomUUID());
  }

  /** A generic webhook's signing secret, as an admin would choose it (write-only: never answered). */
  private String signingSecret() {
    return stack.secret("signing-" + UUID.randomUUID());
  }

  private static String path(String url) {
    return url.substring(url.indexOf('/', "http://".length()));
  }

  private JsonNode notifications(String organizationId) {
    return Api.expect(200, stack.api.get("/api/organizations/" + organizationId + "/notifications"));
  }

  @Test
  void aFailedRunPostsATeamsCardAndASignedGenericDocumentAndASucceededOneNothing() throws Exception {
    Registered organization = register("notify-failed");
    String teams = webhookUrl(stack.webhooks.origin(), "teams");
    String generic = webhookUrl(stack.webhooks.origin(), "generic");
    String signingSecret = signingSecret();
    JsonNode configured = Api.expect(200, stack.api.put("/api/organizations/" + organization.id() + "/notifications",
        Map.of("targets", List.of(Map.of("kind", "teams", "url", teams),
            Map.of("kind", "generic", "url", generic, "signingSecret", signingSecret)))));
    assertThat(configured.toString()).doesNotContain(teams).doesNotContain(generic).doesNotContain(signingSecret);
    assertThat(configured.get("targets").get(1).get("signingSecretSet").asBoolean()).isTrue();
    assertThat(configured.get("targets").get(0).get("url").asText()).isEqualTo(stack.webhooks.origin() + "/…");

    JsonNode succeeded = stack.api.backUpNow(organization.id());
    assertThat(succeeded.get("status").asText()).isEqualTo("succeeded");
    Waiting.pause(Duration.ofSeconds(3));
    assertThat(stack.webhooks.postsTo(path(teams))).as("success is not announced unless asked").isEmpty();
    assertThat(stack.webhooks.postsTo(path(generic))).isEmpty();

    stack.sandbox.revoke(organization.pat());
    JsonNode failed = stack.api.backUpNow(organization.id());
    assertThat(failed.get("status").asText()).isEqualTo("failed");

    WebhookReceiver.Post card = Waiting.until("the Teams post", DELIVERY, () -> stack.webhooks.postsTo(path(teams)),
        posts -> !posts.isEmpty()).get(0);
    JsonNode message = JSON.readTree(card.body());
    assertThat(message.get("type").asText()).isEqualTo("message");
    JsonNode attachment = message.get("attachments").get(0);
    assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    assertThat(attachment.get("content").get("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.body()).contains("backup failed").contains(failed.get("id").asText())
        .contains("listing repositories");

    WebhookReceiver.Post document = Waiting.until("the generic post", DELIVERY,
        () -> stack.webhooks.postsTo(path(generic)), posts -> !posts.isEmpty()).get(0);
    String timestamp = document.headers().get("x-bunker-timestamp");
    assertThat(document.headers().get("x-bunker-signature"))
        .isEqualTo("sha256=" + hmacSha256(signingSecret, timestamp + "." + document.body()));
    assertThat(document.headers().get("x-bunker-event")).isEqualTo("runFailed");
    JsonNode body = JSON.readTree(document.body());
    assertThat(body.get("event").asText()).isEqualTo("runFailed");
    assertThat(body.get("organization").get("id").asText()).isEqualTo(organization.id());
    assertThat(body.get("run").get("id").asText()).isEqualTo(failed.get("id").asText());
    assertThat(body.get("run").get("status").asText()).isEqualTo("failed");
    assertThat(body.get("failures").get(0).get("reason").asText()).contains("listing repositories failed");

    JsonNode targets = Waiting.until("both deliveries recorded", DELIVERY, () -> notifications(organization.id()),
        read -> read.get("targets").findValues("lastDelivery").size() == 2);
    assertThat(targets.get("targets").findValuesAsText("status")).containsOnly("delivered");
    assertThat(targets.toString()).doesNotContain(teams).doesNotContain(generic).doesNotContain(signingSecret);
  }

  @Test
  void anUnreachableWebhookNeitherFailsTheRunNorHidesItsFailure() {
    Registered organization = register("notify-unreachable");
    String unreachable = webhookUrl(stack.unreachableWebhookOrigin, "generic");
    Api.expect(200, stack.api.put("/api/organizations/" + organization.id() + "/notifications",
        Map.of("targets", List.of(Map.of("kind", "generic", "url", unreachable, "onSuccess", true,
            "signingSecret", signingSecret())))));

    JsonNode run = stack.api.backUpNow(organization.id());

    assertThat(run.get("status").asText()).isEqualTo("succeeded");
    JsonNode delivery = Waiting.until("the failed delivery recorded", DELIVERY, () -> notifications(organization.id()),
        read -> read.get("targets").get(0).has("lastDelivery")).get("targets").get(0).get("lastDelivery");
    assertThat(delivery.get("status").asText()).isIn("retrying", "failed");
    assertThat(delivery.get("error").asText()).contains("could not reach the webhook");
    assertThat(Api.expect(200, stack.api.get("/api/organizations/" + organization.id() + "/backups/"
        + run.get("id").asText())).get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void badTargetsAreRefusedWithAProblemAndChangeNothing() {
    Registered organization = register("notify-bad-input");
    String teams = webhookUrl(stack.webhooks.origin(), "teams");
    String path = "/api/organizations/" + organization.id() + "/notifications";
    Api.expect(200, stack.api.put(path, Map.of("targets", List.of(Map.of("kind", "teams", "url", teams)))));
    JsonNode before = notifications(organization.id());

    for (Object bad : List.of(
        Map.of("targets", List.of(Map.of("kind", "teams", "url", "https://attacker.example.net/hook"))),
        Map.of("targets", List.of(Map.of("kind", "slack", "url", "http://hooks.slack.com/services/T0/B0/x"))),
        Map.of("targets", List.of(Map.of("kind", "pager", "url", teams))),
        Map.of("targets", List.of(Map.of("kind", "generic"))),
        Map.of("targets", List.of(Map.of("kind", "generic", "url", webhookUrl(stack.webhooks.origin(), "generic")))),
        Map.of("targets", List.of(Map.of("kind", "generic", "url", webhookUrl(stack.webhooks.origin(), "generic"),
            "signingSecret", stack.secret("too-short-a-key")))))) {
      Api.Response refused = stack.api.put(path, bad);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.text()).doesNotContain(teams).doesNotContain("too-short-a-key");
    }

    assertThat(notifications(organization.id())).isEqualTo(before);
  }

  private static String hmacSha256(String key, String text) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
