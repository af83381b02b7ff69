package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigTest {
  @TempDir
  Path app;

  @Test
  void readsRoutePrefixAndQueueOptions() throws IOException {
    Files.writeString(app.resolve("host.json"), """
        {"version": "2.0", "extensions": {
          "http": {"routePrefix": "/v1/"},
          "queues": {"batchSize": 4, "newBatchThreshold": 2, "maxPollingInterval": "00:00:02",
                     "visibilityTimeout": "00:00:30", "maxDequeueCount": 5}}}
        """);

    HostConfig config = HostConfig.load(app);

    assertThat(config.routePrefix()).isEqualTo("v1");
    assertThat(config.queues()).isEqualTo(new HostConfig.QueueOptions(4, 2, Duration.ofSeconds(2),
        Duration.ofSeconds(30), 5, true));
  }

  @Test
  void defaultsAreTheFunctionsHostDefaults() throws IOException {
    Files.writeString(app.resolve("host.json"), "{\"version\": \"2.0\"}");

    HostConfig config = HostConfig.load(app);

    assertThat(config.routePrefix()).isEqualTo("api");
    assertThat(config.queues()).isEqualTo(
        new HostConfig.QueueOptions(16, 8, Duration.ofMinutes(1), Duration.ZERO, 5, true));
  }

  @Test
  void refusesAnUnknownMessageEncoding() throws IOException {
    Files.writeString(app.resolve("host.json"), "{\"extensions\": {\"queues\": {\"messageEncoding\": \"utf8\"}}}");

    assertThatThrownBy(() -> HostConfig.load(app)).isInstanceOf(HostConfigurationException.class)
        .hasMessageContaining("messageEncoding must be base64 or none");
  }

  @Test
  void parsesDotNetTimeSpans() {
    assertThat(HostConfig.parseTimeSpan("1.02:03:04.5")).isEqualTo(Duration.parse("P1DT2H3M4.5S"));
    assertThat(HostConfig.parseTimeSpan("00:00:00.250")).isEqualTo(Duration.ofMillis(250));
  }
}
