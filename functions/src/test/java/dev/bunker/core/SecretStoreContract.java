package dev.bunker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.port.SecretStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link SecretStore} promises; each adapter's test extends this. */
public abstract class SecretStoreContract {
  /** A store to test; successive calls may share state but tests use unique names. */
  protected abstract SecretStore store();

  protected static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void readsBackWhatWasStored() {
    String name = uniqueName("pat");
    store().put(name, "pat-value-1");
    assertThat(store().get(name)).contains("pat-value-1");
  }

  @Test
  void replacingASecretKeepsOnlyTheNewValue() {
    String name = uniqueName("refresh");
    store().put(name, "first");
    store().put(name, "second");
    assertThat(store().get(name)).contains("second");
  }

  @Test
  void aSecretNeverStoredIsAbsent() {
    assertThat(store().get(uniqueName("never"))).isEmpty();
  }

  @Test
  void deletedSecretIsAbsentAndDeletingAgainIsFine() {
    String name = uniqueName("gone");
    store().put(name, "value");
    store().delete(name);
    assertThat(store().get(name)).isEmpty();
    store().delete(name);
    store().delete(uniqueName("never"));
  }

  @Test
  void aDeletedNameCanBeStoredAgain() {
    String name = uniqueName("reused");
    store().put(name, "old");
    store().delete(name);
    store().put(name, "new");
    assertThat(store().get(name)).contains("new");
  }

  @Test
  void keepsValuesExactlyIncludingUnicodeQuotesAndNewlines() {
    String name = uniqueName("odd");
    String value = "ł\"quoted\"\n\\back\u2028 {json} <html> " + "x".repeat(2000);
    store().put(name, value);
    assertThat(store().get(name)).contains(value);
  }

  @Test
  void keepsSecretsApart() {
    String a = uniqueName("a");
    String b = uniqueName("b");
    store().put(a, "value-a");
    store().put(b, "value-b");
    store().delete(a);
    assertThat(store().get(b)).contains("value-b");
  }

  @Test
  void refusesInvalidNamesWithoutEchoingTheValue() {
    for (String name : new String[] {"", "has space", "under_score", "dot.ted", "x".repeat(128), "slash/name"}) {
      assertThatThrownBy(() -> store().put(name, "the-secret-value"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("secret name")
          .hasMessageNotContaining("the-secret-value");
    }
    assertThatThrownBy(() -> store().get("has space")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().delete(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsTheLongestValidName() {
    String name = "N-" + "x".repeat(125);
    store().put(name, "v");
    assertThat(store().get(name)).contains("v");
    store().delete(name);
  }

  @Test
  void refusesEmptyValues() {
    assertThatThrownBy(() -> store().put(uniqueName("empty"), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> names = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        names.add(pool.submit(() -> {
          String name = uniqueName("parallel" + n);
          store().put(name, "value-" + n);
          return name;
        }));
      }
      for (int i = 0; i < names.size(); i++) {
        assertThat(store().get(names.get(i).get())).contains("value-" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
