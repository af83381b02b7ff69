package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.azurite.Azurite;
import dev.bunker.testing.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged fixture app under one devhost process, against Azurite. */
class FixtureAppIT {
  @TempDir
  static Path temp;
  static DevHostProcess devhost;
  static Observed observed;

  @BeforeAll
  static void startDevhost() throws IOException {
    Azurite azurite = Azurite.shared();
    observed = new Observed(azurite);
    for (String queue : List.of("flaky", "doomed", "doomed-poison", "fanout-out", "relayed")) {
      observed.queue(queue).clearMessages();
    }
    Path app = copyOfFixtureWithStartupTimer(temp.resolve("fixture"));
    devhost = DevHostProcess.forApp(app)
        .setting("AzureWebJobsStorage", azurite.connectionString())
        .setting("GREETING", "from local.settings.json")
        .setting("FAREWELL", "from local.settings.json")
        .environment("GREETING", "from the environment")
        .start("fixture");
  }

  @AfterAll
  static void stopDevhost() {
    if (devhost != null) {
      devhost.close();
    }
  }

  /** function.json can say runOnStartup, the Java annotations cannot: edit it as a user would. */
  static Path copyOfFixtureWithStartupTimer(Path target) throws IOException {
    Path source = Path.of(System.getProperty("fixture.app", "../devhost-fixture/target/azure-functions/fixture"));
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    Path startup = target.resolve("startup/function.json");
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(startup.toFile());
    ((ObjectNode) json.get("bindings").get(0)).put("runOnStartup", true);
    Files.writeString(startup, json.toString());
    return target;
  }

  @Test
  void servesRouteParameterWithBinaryBody() throws Exception {
    HttpResponse<byte[]> response = devhost.get("/api/bytes/1000");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(response.headers().firstValue("x-count")).hasValue("1000");
    assertThat(response.body()).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(response.body()[i]).isEqualTo((byte) (i % 251));
    }
  }

  @Test
  void sendsLargeBinaryBodyWhole() throws Exception {
    int size = 24 * 1024 * 1024 + 7;
    HttpResponse<InputStream> response = DevHostProcess.HTTP.send(
        HttpRequest.newBuilder(devhost.uri("/api/bytes/" + size)).build(), HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(readPattern(response.body())).isEqualTo(size);
  }

  @Test
  void bindsBinaryRequestBody() throws Exception {
    byte[] body = new byte[300_000];
    new Random(7).nextBytes(body);
    HttpResponse<byte[]> response = DevHostProcess.HTTP.send(
        HttpRequest.newBuilder(devhost.uri("/api/uploads/blob.bin"))
            .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = Json.MAPPER.readTree(response.body());
    assertThat(answer.get("length").asInt()).isEqualTo(body.length);
    assertThat(answer.get("sha256").asText())
        .isEqualTo(Sha256.hex(body));
  }

  @Test
  void routeConstraintRejectsNonIntegerParameter() throws Exception {
    assertThat(devhost.get("/api/bytes/many").statusCode()).isEqualTo(404);
    assertThat(devhost.get("/api/no-such-route").statusCode()).isEqualTo(404);
    assertThat(devhost.get("/bytes/10").statusCode()).as("outside the route prefix").isEqualTo(404);
  }

  @Test
  void bindsJsonBodyToPojoWithRouteQueryAndHeaders() throws Exception {
    HttpResponse<byte[]> response = DevHostProcess.HTTP.send(
        HttpRequest.newBuilder(devhost.uri("/api/echo/World?q=find%20me"))
            .header("X-Test", "header value").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello\",\"times\":3,\"extra\":true}")).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode echo = Json.MAPPER.readTree(response.body());
    assertThat(echo.get("name").asText()).isEqualTo("World");
    assertThat(echo.get("text").asText()).isEqualTo("hello");
    assertThat(echo.get("times").asInt()).isEqualTo(3);
    assertThat(echo.get("method").asText()).isEqualTo("POST");
    assertThat(echo.get("query").asText()).isEqualTo("find me");
    assertThat(echo.get("header").asText()).isEqualTo("header value");
    assertThat(echo.get("function").asText()).isEqualTo("echo");
    assertThat(echo.get("invocationId").asText()).isNotBlank();
    assertThat(echo.get("traceparent").asText()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    assertThat(devhost.log()).contains("echo for World");
  }

  @Test
  void malformedJsonBodyGets400NotA500() throws Exception {
    HttpResponse<byte[]> response = post("/api/greetings", "{\"text\": \"unterminated");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("not valid JSON");
    assertThat(new String(post("/api/greetings", "{\"text\":\"ab\",\"times\":2}").body(), StandardCharsets.UTF_8))
        .isEqualTo("abab");
  }

  @Test
  void malformedJsonForAPojoParameterFailsTheInvocationAsInAzure() throws Exception {
    HttpResponse<byte[]> response = post("/api/echo/World", "{\"text\": \"unterminated");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(devhost.log()).contains("request body is not valid JSON for Greeting");
  }

  @Test
  void streamsAnInputStreamBody() throws Exception {
    long size = 40L * 1024 * 1024 + 3;
    HttpResponse<InputStream> response = DevHostProcess.HTTP.send(
        HttpRequest.newBuilder(devhost.uri("/api/stream/" + size)).build(), HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
    assertThat(readPattern(response.body())).isEqualTo(size);
  }

  private static HttpResponse<byte[]> post(String path, String body) throws Exception {
    return DevHostProcess.HTTP.send(HttpRequest.newBuilder(devhost.uri(path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Reads a body whose byte i must be i mod 251; returns its length. */
  private static long readPattern(InputStream body) throws IOException {
    long count = 0;
    try (InputStream in = body) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; count += n) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] != (byte) ((count + i) % 251)) {
            throw new AssertionError("byte " + (count + i) + " is " + buffer[i]);
          }
        }
      }
    }
    return count;
  }

  @Test
  void methodNotDeclaredByTheFunctionIsNotRouted() throws Exception {
    HttpResponse<byte[]> response = devhost.get("/api/echo/World");
    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void functionThatThrowsGets500() throws Exception {
    assertThat(devhost.get("/api/boom").statusCode()).isEqualTo(500);
  }

  @Test
  void servesConcurrentRequestsInParallel() {
    List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(DevHostProcess.HTTP.sendAsync(HttpRequest.newBuilder(devhost.uri("/api/slow/3000")).build(),
          HttpResponse.BodyHandlers.ofByteArray()));
    }
    List<long[]> intervals = calls.stream().map(CompletableFuture::join).map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      try {
        JsonNode json = Json.MAPPER.readTree(response.body());
        return new long[] {json.get("start").asLong(), json.get("end").asLong()};
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }).toList();

    long latestStart = intervals.stream().mapToLong(i -> i[0]).max().orElseThrow();
    long earliestEnd = intervals.stream().mapToLong(i -> i[1]).min().orElseThrow();
    assertThat(latestStart).as("all four invocations were running at the same moment").isLessThan(earliestEnd);
  }

  @Test
  void appSettingsComeFromLocalSettingsOverriddenByTheEnvironment() throws Exception {
    assertThat(new String(devhost.get("/api/settings/GREETING").body(), StandardCharsets.UTF_8))
        .isEqualTo("from the environment");
    assertThat(new String(devhost.get("/api/settings/FAREWELL").body(), StandardCharsets.UTF_8))
        .isEqualTo("from local.settings.json");
    assertThat(devhost.get("/api/settings/NOT_SET_ANYWHERE").statusCode()).isEqualTo(404);
  }

  @Test
  void queueOutputBindingWritesBase64Messages() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<byte[]> response =
        DevHostProcess.HTTP.send(HttpRequest.newBuilder(devhost.uri("/api/fanout/" + key + "?count=3"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(observed.peek("fanout-out")).filteredOn(m -> m.contains(key)).containsExactlyInAnyOrder(
        "{\"key\":\"" + key + "\",\"index\":0}", "{\"key\":\"" + key + "\",\"index\":1}",
        "{\"key\":\"" + key + "\",\"index\":2}");
  }

  /**
   * Delivered to this host's trigger of the queue. That the write wakes the trigger is
   * SharedQueueWatcherTest's and IdleWaitTest's to show: the fixture polls every 0.5 s anyway.
   */
  @Test
  void aMessageWrittenThroughAnOutputBindingIsDeliveredToThisHostsTriggerOfThatQueue() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<byte[]> response =
        DevHostProcess.HTTP.send(HttpRequest.newBuilder(devhost.uri("/api/relay/" + key))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(observed.awaitEvents(key, Duration.ofSeconds(20), e -> e.containsKey("delivered")))
        .containsOnlyKeys("delivered");
  }

  @Test
  void retriesFailingMessageUntilItSucceeds() {
    String key = UUID.randomUUID().toString();
    observed.send("flaky", "{\"key\":\"" + key + "\"}");

    Map<String, TableEntity> events =
        observed.awaitEvents(key, Duration.ofSeconds(40), e -> e.containsKey("succeeded"));

    assertThat(events).containsOnlyKeys("attempt-1", "attempt-2", "attempt-3", "succeeded");
    assertThat(Stream.of("attempt-1", "attempt-2", "attempt-3").map(a -> events.get(a).getProperty("DequeueCount")))
        .containsExactly("1", "2", "3");
    assertThat(Stream.of("attempt-1", "attempt-2", "attempt-3").map(a -> events.get(a).getProperty("Id")).distinct())
        .hasSize(1);
    assertThat(Stream.of("attempt-1", "attempt-2", "attempt-3").map(a -> events.get(a).getProperty("InsertionTime"))
        .distinct()).hasSize(1).allSatisfy(t -> assertThat((String) t).isNotBlank().isNotEqualTo("null"));
    long firstRetryDelay = (Long) events.get("attempt-2").getProperty("RecordedAt")
        - (Long) events.get("attempt-1").getProperty("RecordedAt");
    assertThat(firstRetryDelay).as("retried no sooner than host.json visibilityTimeout (1 s)").isGreaterThan(900);
    Observed.await(() -> observed.queue("flaky").getProperties().getApproximateMessagesCount(), n -> n == 0,
        Duration.ofSeconds(10), "the succeeded message to be deleted");
    assertThat(observed.peek("flaky-poison")).noneMatch(m -> m.contains(key));
  }

  @Test
  void movesAlwaysFailingMessageToPoisonQueueAfterMaxDequeueCount() {
    String key = UUID.randomUUID().toString();
    String message = "{\"key\":\"" + key + "\"}";
    observed.send("doomed", message);

    List<String> poisoned = Observed.await(() -> observed.peek("doomed-poison"), p -> p.contains(message),
        Duration.ofSeconds(40), "the message in doomed-poison");

    assertThat(poisoned).contains(message);
    assertThat(observed.events(key)).containsOnlyKeys("attempt-1", "attempt-2", "attempt-3", "attempt-4");
    assertThat(observed.peek("doomed")).doesNotContain(message);
  }

  @Test
  void firesTimerOnItsSchedule() {
    Map<String, TableEntity> ticks = observed.awaitEvents("tick", Duration.ofSeconds(30), t -> t.size() >= 3);

    List<Long> times = ticks.values().stream().map(t -> (Long) t.getProperty("RecordedAt")).sorted().toList();
    assertThat(times.stream().map(t -> t / 2000).distinct()).as("at most one tick per two-second slot")
        .hasSameSizeAs(times);
    assertThat(times.stream().filter(t -> t % 2000 < 1000).count())
        .as("most ticks land in the first second after an even second").isGreaterThan(times.size() / 2);
    JsonNode info = readTree((String) ticks.values().iterator().next().getProperty("TimerInfo"));
    assertThat(info.get("IsPastDue").isBoolean()).isTrue();
    assertThat(info.get("ScheduleStatus").get("Next").asText()).isNotBlank();
  }

  @Test
  void runsTimerOnStartupWhenFunctionJsonSaysSo() {
    Map<String, TableEntity> runs = observed.awaitEvents("startup", Duration.ofSeconds(20), r -> !r.isEmpty());

    JsonNode info =
        readTree((String) runs.values().stream().max(Comparator.comparing(r -> (Long) r.getProperty("RecordedAt")))
            .orElseThrow().getProperty("TimerInfo"));
    assertThat(info.get("IsPastDue").asBoolean()).isFalse();
  }

  @Test
  void adminApiRunsATimerFunctionNow() throws Exception {
    int before = observed.awaitEvents("startup", Duration.ofSeconds(20), r -> !r.isEmpty()).size();

    HttpResponse<byte[]> response = post("/admin/functions/startup", "{\"input\": \"\"}");

    assertThat(response.statusCode()).isEqualTo(202);
    observed.awaitEvents("startup", Duration.ofSeconds(20), r -> r.size() > before);
    assertThat(post("/admin/functions/no-such-function", "{}").statusCode()).isEqualTo(404);
  }

  private static JsonNode readTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
