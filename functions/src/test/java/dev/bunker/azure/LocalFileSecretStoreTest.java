package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.SecretStoreContract;
import dev.bunker.core.model.SecretStoreException;
import dev.bunker.core.port.SecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileSecretStoreTest extends SecretStoreContract {
  @TempDir
  Path dataDir;
  private Path file;
  private LocalFileSecretStore store;

  @BeforeEach
  void open() {
    file = dataDir.resolve("data").resolve("secrets.json");
    store = LocalFileSecretStore.open(file, Map.of());
  }

  @Override
  protected SecretStore store() {
    return store;
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws IOException {
    store.put("pat-1", "value");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
  }

  @Test
  void aFileOthersCouldReadIsTightenedOnOpen() throws IOException {
    store.put("pat-1", "value");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    LocalFileSecretStore.open(file, Map.of());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void anotherStoreOnTheSameFileSeesChanges() {
    store.put("shared", "one");
    LocalFileSecretStore other = LocalFileSecretStore.open(file, Map.of());
    assertThat(other.get("shared")).contains("one");
    other.put("shared", "two");
    assertThat(store.get("shared")).contains("two");
  }

  @Test
  void writesLeaveNoTemporaryFilesBehind() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.put("name-" + i, "value");
    }
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secrets.json",
          "secrets.json.lock");
    }
  }

  @Test
  void aDamagedFileIsReportedWithoutQuotingItAndLeftAlone() throws IOException {
    Files.writeString(file, "{\"pat\": \"damaged-secret-value");
    assertThatThrownBy(() -> store.put("other", "x"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a JSON object")
        .hasMessageNotContaining("damaged-secret-value");
    assertThat(Files.readString(file)).isEqualTo("{\"pat\": \"damaged-secret-value");
  }

  @Test
  void isRefusedWhenRunningInAzure() {
    assertThatThrownBy(() -> LocalFileSecretStore.open(file, Map.of("WEBSITE_INSTANCE_ID", "abc123")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KEY_VAULT_URI");
    assertThatThrownBy(() -> LocalFileSecretStore.open(file, Map.of("WEBSITE_SITE_NAME", "bunker-app")))
        .isInstanceOf(IllegalStateException.class);
  }
}
