package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.ado.client.AllowList;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.Bunker;
import dev.bunker.core.model.CreateCredential;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppTest {
  @TempDir
  Path localData;

  @AfterEach
  void reset() {
    App.reset();
  }

  private static Map<String, String> azurite(String container) {
    return Map.of(
        Setting.APP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_CONTAINER.key(), container);
  }

  @Test
  void healthAsksItsPartsAtMostOncePerMinute() {
    AtomicInteger secretReads = new AtomicInteger();
    ManualClock clock = ManualClock.at("2026-05-01T10:00:00Z");
    App app = new App(null, Optional.empty(), List.of(new Health.Probe("secrets", secretReads::incrementAndGet)),
        clock);

    for (int call = 0; call < 5; call++) {
      assertThat(app.check().healthy()).isTrue();
    }
    clock.advance(App.HEALTH_MAX_AGE.minusSeconds(1));
    app.check();
    assertThat(secretReads).as("within a minute of the first check").hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    app.check();
    assertThat(secretReads).as("a minute after it").hasValue(2);
  }

  @Test
  void runsLocallyOnAzuriteWithNoOtherSettings() {
    String container = "app-" + UUID.randomUUID();
    App app = App.fromEnvironment(azurite(container), localData, Clock.systemUTC());
    Bunker bunker = app.services();

    assertThat(bunker.organizations().list()).isNotNull();
    assertThat(bunker.scheduler().tick()).isGreaterThanOrEqualTo(0);
    bunker.credentials().create(new CreateCredential("local", "token-value", null, null));
    assertThat(localData.resolve("secrets.json")).exists();
    assertThat(new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient()
        .getBlobContainerClient(container).exists()).as("the backup container is created").isTrue();

    Health health = app.check();
    assertThat(health.healthy()).as(health.toString()).isTrue();
    assertThat(health.checks()).containsOnlyKeys("tables", "queues", "backupStorage", "secrets");
    assertThat(health.version()).isNotBlank();
  }

  @Test
  void healthNamesTheCheckThatFails() {
    App app = App.fromEnvironment(Map.of(Setting.APP_STORAGE.key(), Azurite.shared().connectionString()), localData,
        Clock.systemUTC());
    Health health = app.check();
    assertThat(health.healthy()).isFalse();
    assertThat(health.checks().get("backupStorage").status()).isEqualTo(Health.FAILED);
    assertThat(health.checks().get("backupStorage").detail()).contains("BACKUP_STORAGE");
    assertThat(health.checks().get("tables").status()).isEqualTo(Health.OK);
    assertThat(health.toString()).doesNotContain(Azurite.ACCOUNT_KEY);
  }

  @Test
  void withoutBackupStorageBackupsAnswerThatItIsNotConfigured() {
    AllowList cloudOnly = AppSettings.allowList(Map.of());
    assertThatThrownBy(() -> App.repositoryVault(Optional.empty(), App.sourceDirectory(cloudOnly), cloudOnly,
        java.time.Clock.systemUTC())
        .forget(new RepositoryKey("o", "r"), List.of()))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("BACKUP_STORAGE");
  }

  @Test
  void withoutAppStorageTheErrorNamesTheSettings() {
    assertThatThrownBy(() -> App.fromEnvironment(Map.of(), localData, Clock.systemUTC()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("AzureWebJobsStorage")
        .hasMessageContaining("AzureWebJobsStorage__accountName");
  }

  @Test
  void aMalformedAllowListNamesTheSetting() {
    assertThatThrownBy(
        () -> AppSettings.allowList(Map.of(Setting.ALLOWED_ORGANIZATION_URLS.key(), "https://ok.example/, nope")))
        .hasMessageContaining("ALLOWED_ORGANIZATION_URLS").hasMessageContaining("'nope'");
  }

  @Test
  void theGitTransferTimeoutIsWholeMinutesWellInsideTheFunctionTimeout() {
    assertThat(AppSettings.gitTransferTimeout(Map.of())).isEqualTo(Duration.ofMinutes(10));
    assertThat(AppSettings.gitTransferTimeout(Map.of(Setting.GIT_TRANSFER_TIMEOUT_MINUTES.key(), " ")))
        .as("empty, as local.settings.json may leave it").isEqualTo(Duration.ofMinutes(10));
    assertThat(AppSettings.gitTransferTimeout(Map.of(Setting.GIT_TRANSFER_TIMEOUT_MINUTES.key(), " 25 ")))
        .isEqualTo(Duration.ofMinutes(25));
    for (String wrong : List.of("0", "26", "30", "ten", "1.5", "-3")) {
      assertThatThrownBy(
          () -> AppSettings.gitTransferTimeout(Map.of(Setting.GIT_TRANSFER_TIMEOUT_MINUTES.key(), wrong)))
          .as(wrong).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("GIT_TRANSFER_TIMEOUT_MINUTES").hasMessageContaining("from 1 to 25");
    }
    Map<String, String> settings = new java.util.HashMap<>(azurite("app-" + UUID.randomUUID()));
    settings.put(Setting.GIT_TRANSFER_TIMEOUT_MINUTES.key(), "90");
    assertThatThrownBy(() -> App.fromEnvironment(settings, localData, Clock.systemUTC()))
        .as("the wiring stops, naming the setting").hasMessageContaining("GIT_TRANSFER_TIMEOUT_MINUTES");
  }

  @Test
  void theInstalledWiringIsSharedByEveryCaller() {
    Bunker bunker = App.fromEnvironment(azurite("app-" + UUID.randomUUID()), localData, Clock.systemUTC()).services();
    App.use(bunker);
    assertThat(App.bunker()).isSameAs(bunker).isSameAs(App.bunker());
  }

  @Test
  void aWiringThatCannotBeBuiltIsReportedByHealth() throws Exception {
    Files.createDirectories(localData);
    App.reset();
    // the test JVM has no app settings: the wiring fails and health says why
    Health health = App.health();
    assertThat(health.healthy()).isFalse();
    assertThat(health.checks()).containsKey("configuration");
  }
}
