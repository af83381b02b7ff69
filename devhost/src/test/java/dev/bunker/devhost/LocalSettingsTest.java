package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {
  @TempDir
  Path dir;

  @Test
  void environmentOverridesValues() throws IOException {
    Path file = dir.resolve("local.settings.json");
    Files.writeString(file, """
        {"IsEncrypted": false, "Values": {"A": "file", "B": "file"}, "Host": {"LocalHttpPort": 7072}}
        """);

    LocalSettings settings = LocalSettings.read(file);

    assertThat(settings.environment(Map.of("B", "env", "C", "env"))).containsExactlyInAnyOrderEntriesOf(
        Map.of("A", "file", "B", "env", "C", "env"));
    assertThat(settings.localHttpPort()).hasValue(7072);
  }

  @Test
  void missingFileMeansNoValues() {
    assertThat(LocalSettings.read(dir.resolve("absent.json")))
        .isEqualTo(new LocalSettings(Map.of(), Optional.empty()));
  }

  @Test
  void derivesFromTheExamplePointingStorageAtTheEmulator() throws IOException {
    Path example = dir.resolve("local.settings.json.example");
    Files.writeString(example, """
        {"IsEncrypted": false, "Values": {"FUNCTIONS_WORKER_RUNTIME": "java",
          "AzureWebJobsStorage": "UseDevelopmentStorage=true", "BACKUP_CONTAINER": "backups"}}
        """);
    Path target = dir.resolve("local.settings.json");

    LocalSettings.derive(example, target, "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1");

    assertThat(LocalSettings.read(target).values()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "FUNCTIONS_WORKER_RUNTIME", "java", "BACKUP_CONTAINER", "backups",
        "AzureWebJobsStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1",
        "BACKUP_STORAGE", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1"));
  }
}
