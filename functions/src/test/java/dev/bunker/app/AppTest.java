package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.azurite.Azurite;
import dev.bunker.core.Bunker;
import dev.bunker.core.CreateCredential;
import dev.bunker.core.UnavailableException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppTest {
  @AfterEach
  void reset() {
    App.reset();
  }

  @Test
  void wiresTheCatalogAndQueuesFromTheStorageSetting() {
    Bunker bunker = App.fromEnvironment(Map.of(Setting.APP_STORAGE.key(), Azurite.shared().connectionString()))
        .services();
    assertThat(bunker.organizations().list()).isNotNull();
    assertThat(bunker.scheduler().tick()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aPortNotWiredYetAnswersThatItIsNotConfigured() {
    Bunker bunker = App.fromEnvironment(Map.of(Setting.APP_STORAGE.key(), Azurite.shared().connectionString()))
        .services();
    assertThatThrownBy(() -> bunker.credentials().create(new CreateCredential("x", "token-value", null, null)))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("secret store");
  }

  @Test
  void withoutAppStorageTheErrorNamesTheSettings() {
    assertThatThrownBy(() -> App.fromEnvironment(Map.of()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("AzureWebJobsStorage")
        .hasMessageContaining("AzureWebJobsStorage__accountName");
  }

  @Test
  void theInstalledWiringIsSharedByEveryCaller() {
    Bunker bunker = App.fromEnvironment(Map.of(Setting.APP_STORAGE.key(), Azurite.shared().connectionString()))
        .services();
    App.use(bunker);
    assertThat(App.bunker()).isSameAs(bunker).isSameAs(App.bunker());
  }
}
