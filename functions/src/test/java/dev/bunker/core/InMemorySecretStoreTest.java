package dev.bunker.core;

import dev.bunker.core.memory.InMemorySecretStore;
import dev.bunker.core.port.SecretStore;

class InMemorySecretStoreTest extends SecretStoreContract {
  private final SecretStore store = new InMemorySecretStore();

  @Override
  protected SecretStore store() {
    return store;
  }
}
