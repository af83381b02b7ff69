package dev.bunker.core.memory;

import dev.bunker.core.port.SecretStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Secrets in a map, for domain tests. */
public final class InMemorySecretStore implements SecretStore {
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  @Override
  public void put(String name, String value) {
    secrets.put(name, value);
  }

  @Override
  public Optional<String> get(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  @Override
  public void delete(String name) {
    secrets.remove(name);
  }

  public Map<String, String> all() {
    return Map.copyOf(secrets);
  }
}
