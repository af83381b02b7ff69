package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import dev.bunker.azurite.Azurite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping devhost while a queue function runs never loses the message: it is either finished
 * and deleted, or returned, or (after a crash) becomes visible again when its lease ends.
 */
class ShutdownIT {
  static final Path FIXTURE =
      Path.of(System.getProperty("fixture.app", "../devhost-fixture/target/azure-functions/fixture"));
  static Azurite azurite;
  static Observed observed;

  @BeforeAll
  static void storage() {
    azurite = Azurite.shared();
    observed = new Observed(azurite);
    observed.queue("slow-work").clearMessages();
  }

  static DevHostProcess.Builder devhost() {
    return DevHostProcess.forApp(FIXTURE)
        .setting("AzureWebJobsStorage", azurite.connectionString())
        .setting("AzureWebJobs.tick.Disabled", "true");
  }

  static String work(String key, long millis) {
    return "{\"key\":\"" + key + "\",\"millis\":" + millis + "}";
  }

  @Test
  void sigtermLetsTheRunningInvocationFinishAndDeletesItsMessage() throws Exception {
    String key = UUID.randomUUID().toString();
    try (DevHostProcess devhost = devhost().start("sigterm-finish")) {
      observed.send("slow-work", work(key, 3000));
      observed.awaitEvents(key, Duration.ofSeconds(30), e -> e.containsKey("started-1"));

      devhost.terminate(Duration.ofSeconds(40));

      assertThat(observed.events(key)).containsOnlyKeys("started-1", "completed-1");
      assertThat(observed.peek("slow-work")).noneMatch(m -> m.contains(key));
      assertThat(devhost.log()).contains("Host stopped");
    }
  }

  @Test
  void sigtermReturnsTheMessageOfAnInvocationThatOutlastsTheGracePeriod() throws Exception {
    String key = UUID.randomUUID().toString();
    try (DevHostProcess devhost = devhost().argument("--shutdown-grace", "PT1S").start("sigterm-return")) {
      observed.send("slow-work", work(key, 5000));
      observed.awaitEvents(key, Duration.ofSeconds(30), e -> e.containsKey("started-1"));

      devhost.terminate(Duration.ofSeconds(30));

      assertThat(observed.events(key)).containsOnlyKeys("started-1");
      assertThat(observed.peek("slow-work")).as("returned to the queue at once").anyMatch(m -> m.contains(key));
    }
    try (DevHostProcess next = devhost().start("sigterm-return-next")) {
      Map<String, TableEntity> events =
          observed.awaitEvents(key, Duration.ofSeconds(40), e -> e.containsKey("completed-2"));
      assertThat(events).containsKeys("started-1", "started-2", "completed-2").doesNotContainKey("completed-1");
    }
  }

  @Test
  void killMinus9WhileHandlingAMessageLosesNothing() throws Exception {
    String key = UUID.randomUUID().toString();
    try (DevHostProcess devhost = devhost().argument("--queue-lease", "PT4S").start("kill9")) {
      observed.send("slow-work", work(key, 4000));
      observed.awaitEvents(key, Duration.ofSeconds(30), e -> e.containsKey("started-1"));

      devhost.killFunctionHost();

      assertThat(observed.events(key)).containsOnlyKeys("started-1");
    }
    try (DevHostProcess next = devhost().argument("--queue-lease", "PT4S").start("kill9-next")) {
      Map<String, TableEntity> events =
          observed.awaitEvents(key, Duration.ofSeconds(40), e -> e.containsKey("completed-2"));
      assertThat(events).containsKeys("started-1", "started-2", "completed-2").doesNotContainKey("completed-1");
      assertThat(events.get("completed-2").getProperty("DequeueCount")).isEqualTo("2");
    }
  }
}
