package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettableClockTest {
  @TempDir
  Path dir;

  @Test
  void withoutTheSettingTheAppUsesTheSystemClock() {
    assertThat(SettableClock.from(Map.of())).isEqualTo(Clock.systemUTC());
  }

  @Test
  void timeFlowsOnFromTheInstantWrittenInTheFile() throws Exception {
    Path file = dir.resolve("clock");
    Clock clock = SettableClock.from(Map.of(Setting.LOCAL_CLOCK_FILE.key(), file.toString()));
    assertThat(Duration.between(Instant.now(), clock.instant()).abs()).isLessThan(Duration.ofSeconds(5));

    Files.writeString(file, "2024-06-03T06:00:30Z");
    Instant set = clock.instant();
    assertThat(set).isBetween(Instant.parse("2024-06-03T06:00:30Z"), Instant.parse("2024-06-03T06:00:40Z"));
    Thread.sleep(20);
    assertThat(clock.instant()).isAfter(set);
  }

  @Test
  void aClockFileIsRefusedInAzure() {
    assertThatThrownBy(() -> SettableClock.from(Map.of(Setting.LOCAL_CLOCK_FILE.key(), dir.resolve("c").toString(),
        "WEBSITE_INSTANCE_ID", "abc")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused in Azure");
  }

  @Test
  void aFileThatIsNotAnInstantSaysWhatItShouldHold() throws Exception {
    Path file = dir.resolve("clock");
    Files.writeString(file, "tomorrow");
    Clock clock = SettableClock.from(Map.of(Setting.LOCAL_CLOCK_FILE.key(), file.toString()));
    assertThatThrownBy(clock::instant).hasMessageContaining("ISO-8601");
  }
}
