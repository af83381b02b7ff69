package dev.bunker.core;

import dev.bunker.core.port.SecretStore;
import dev.bunker.core.memory.InMemorySecretStore;

class InMemorySecretStoreTest extends SecretStoreContract {
  private final SecretStore store = new InMemorySecretStore();

  @Override
  protected SecretStore store() {
    return store;
  }
}
