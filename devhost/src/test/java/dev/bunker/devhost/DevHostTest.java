package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DevHostTest {
  @Test
  void workerJvmOptionsComeFromTheSettingAzureFunctionsTakesThemFrom() {
    assertThat(DevHost.workerJvmArguments(Map.of("languageWorkers__java__arguments", " -Xmx256m  -Xshare:auto ")))
        .containsExactly("-Xmx256m", "-Xshare:auto");
  }

  @Test
  void noSettingMeansNoWorkerJvmOptions() {
    assertThat(DevHost.workerJvmArguments(Map.of("JAVA_OPTS", "-Xmx1g"))).isEmpty();
    assertThat(DevHost.workerJvmArguments(Map.of("languageWorkers__java__arguments", "  "))).isEmpty();
  }
}
