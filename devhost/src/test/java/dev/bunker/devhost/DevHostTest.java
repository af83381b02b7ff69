package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DevHostTest {
  @Test
  void theWorkerRunsWithTheJavaWorkersDefaultOptionsLikeAzure() {
    assertThat(DevHost.workerJvmArguments(Map.of()))
        .containsExactly("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true");
    assertThat(DevHost.workerJvmArguments(Map.of("languageWorkers__java__arguments", "  ")))
        .isEqualTo(DevHost.WORKER_DEFAULT_OPTIONS);
  }

  @Test
  void javaOptsAndThenTheAppSettingFollowTheDefaultsSoTheyCanOverrideThem() {
    assertThat(DevHost.workerJvmArguments(Map.of("JAVA_OPTS", "-Xmx1g", "languageWorkers__java__arguments",
        " -Xmx256m  -XX:TieredStopAtLevel=4 ")))
        .containsExactly("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
            "-Xmx1g", "-Xmx256m", "-XX:TieredStopAtLevel=4");
  }
}
