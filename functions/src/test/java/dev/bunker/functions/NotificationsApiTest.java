package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.bunker.app.App;
import dev.bunker.core.World;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.WorkItem;
import dev.bunker.json.Json;
import dev.bunker.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The notifications API and the notify worker through the function classes, over in-memory ports. */
class NotificationsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URL = "https://hooks.example.com/services/T0/B0/webhook-secret-token";
  private static final String SIGNING_SECRET = "webhook-signing-key-0123456789abcdefghij";

  private final World world = new World("2026-05-01T10:00:00Z");
  private final NotificationsFunction notifications = new NotificationsFunction();
  private final WorkersFunction workers = new WorkersFunction();
  private final List<String> bodies = new ArrayList<>();
  private final LogCapture logs = LogCapture.start();
  private String organizationId;

  @BeforeEach
  void wire() {
    world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    App.use(world.bunker);
    organizationId = world.registerContoso((PolicyInput) null).id();
  }

  @AfterEach
  void unwireAndCheckTheUrlAndSigningSecretStayedInTheSecretStore() {
    App.reset();
    logs.close();
    for (String secret : List.of("webhook-secret-token", SIGNING_SECRET)) {
      assertThat(bodies).noneMatch(body -> body.contains(secret));
      assertThat(logs.lines()).noneMatch(line -> line.contains(secret));
      assertThat(world.queue.sent()).extracting(Json::write).noneMatch(message -> message.contains(secret));
      assertThat(world.audit.all()).extracting(Json::write).noneMatch(entry -> entry.contains(secret));
    }
  }

  private JsonNode answer(HttpResponseMessage response, int status) {
    String body = (String) response.getBody();
    bodies.add(body);
    assertThat(response.getStatusCode()).as(body).isEqualTo(status);
    assertThat(response.getHeader("Content-Type"))
        .isEqualTo(status >= 400 ? "application/problem+json" : "application/json");
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  private HttpResponseMessage put(String body) {
    return notifications.put(FakeRequest.put("organizations/" + organizationId + "/notifications", body),
        organizationId);
  }

  private JsonNode get() {
    return answer(notifications.get(FakeRequest.get("organizations/" + organizationId + "/notifications"),
        organizationId), 200);
  }

  @Test
  void targetsAreSavedAndReadBackWithoutTheirUrlAndTestedOnRequest() {
    JsonNode saved = answer(put("{\"targets\":[{\"kind\":\"slack\",\"url\":\"" + URL + "\"}]}"), 200);
    assertThat(saved.path("targets").get(0).path("url").asText()).isEqualTo("https://hooks.example.com/…");
    assertThat(get()).isEqualTo(saved);

    JsonNode tested = answer(notifications.test(FakeRequest.post("organizations/" + organizationId
        + "/notifications/test", null), organizationId), 200);

    assertThat(tested.path("targets").get(0).path("lastDelivery").path("status").asText()).isEqualTo("delivered");
    assertThat(world.notifier.sent()).singleElement()
        .satisfies(sent -> assertThat(sent.webhook().url().reveal()).isEqualTo(URL));
    assertThat(world.audit.all()).extracting(entry -> entry.action())
        .containsExactly(AuditAction.REPLACE_NOTIFICATIONS, AuditAction.SEND_TEST_NOTIFICATION);
  }

  @Test
  void badTargetsAnswer400NamingTheFieldAndChangeNothing() {
    answer(put("{\"targets\":[{\"kind\":\"teams\",\"url\":\"" + URL + "\"}]}"), 200);
    JsonNode before = get();

    for (String bad : List.of(
        "{\"targets\":[{\"kind\":\"pager\",\"url\":\"" + URL + "\"}]}",
        "{\"targets\":[{\"kind\":\"teams\",\"url\":\"https://attacker.example.net/x\"}]}",
        "{\"targets\":[{\"kind\":\"teams\",\"url\":\"http://hooks.example.com/x\"}]}",
        "{\"targets\":[{\"kind\":\"teams\",\"url\":\"" + URL + "\",\"channel\":\"x\"}]}",
        "{}")) {
      JsonNode problem = answer(put(bad), 400);
      assertThat(problem.path("errors").get(0).path("field").asText()).as(bad).startsWith("targets");
    }
    for (String bad : List.of(
        "{\"targets\":[{\"kind\":\"generic\",\"url\":\"" + URL + "\"}]}",
        "{\"targets\":[{\"kind\":\"generic\",\"url\":\"" + URL + "\",\"signingSecret\":\"too-short-a-key\"}]}")) {
      JsonNode problem = answer(put(bad), 400);
      assertThat(problem.path("errors").get(0).path("field").asText()).as(bad).isEqualTo("targets[0].signingSecret");
      assertThat(problem.toString()).doesNotContain("too-short-a-key");
    }

    assertThat(get()).isEqualTo(before);
  }

  @Test
  void aGenericTargetTakesTheAdminsSigningSecretAndAnswersOnlyThatOneIsSet() {
    JsonNode saved = answer(put("{\"targets\":[{\"kind\":\"generic\",\"url\":\"" + URL
        + "\",\"signingSecret\":\"" + SIGNING_SECRET + "\"}]}"), 200);
    JsonNode target = saved.path("targets").get(0);
    assertThat(target.path("signingSecretSet").asBoolean()).isTrue();
    assertThat(target.has("signingSecret")).isFalse();

    JsonNode kept = answer(put("{\"targets\":[{\"id\":\"" + target.path("id").asText()
        + "\",\"onSuccess\":true}]}"), 200);
    assertThat(kept.path("targets").get(0).path("signingSecretSet").asBoolean()).isTrue();
    assertThat(get()).isEqualTo(kept);
    answer(notifications.test(FakeRequest.post("organizations/" + organizationId + "/notifications/test", null),
        organizationId), 200);
    assertThat(world.notifier.sent()).singleElement()
        .satisfies(sent -> assertThat(sent.webhook().signingSecret().reveal()).isEqualTo(SIGNING_SECRET));
  }

  @Test
  void theNotifyWorkerDeliversARunsEndFromItsQueueMessage() {
    answer(put("{\"targets\":[{\"kind\":\"generic\",\"url\":\"" + URL + "\",\"onSuccess\":true,"
        + "\"signingSecret\":\"" + SIGNING_SECRET + "\"}]}"), 200);
    world.bunker.runs().startNow(organizationId, null);
    world.drainQueues();

    for (WorkItem.Notify work : world.queue.take(WorkItem.Notify.class)) {
      workers.notify(Json.write(work), 1);
    }

    assertThat(world.notifier.sent()).singleElement()
        .satisfies(sent -> assertThat(sent.notification().event().name()).isEqualTo("RUN_SUCCEEDED"));
  }
}
