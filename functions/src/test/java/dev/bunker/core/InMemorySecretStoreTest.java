package dev.bunker.core;

class InMemorySecretStoreTest extends SecretStoreContract {
  private final SecretStore store = new InMemorySecretStore();

  @Override
  protected SecretStore store() {
    return store;
  }
}
