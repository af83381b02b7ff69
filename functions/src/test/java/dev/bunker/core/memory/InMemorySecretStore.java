package dev.bunker.core.memory;

import dev.bunker.core.model.SecretNames;
import dev.bunker.core.port.SecretStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory twin of the secret stores: it refuses what they refuse (names outside Key Vault's
 * rule, empty values), so a test fails where Azure would; {@link #all()} lets a test see what was
 * stored, {@link #reads()} how often one was read.
 */
public final class InMemorySecretStore implements SecretStore {
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();

  @Override
  public void put(String name, String value) {
    SecretNames.requireValid(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("secret '" + name + "' needs a non-empty value");
    }
    secrets.put(name, value);
  }

  @Override
  public Optional<String> get(String name) {
    reads.incrementAndGet();
    return Optional.ofNullable(secrets.get(SecretNames.requireValid(name)));
  }

  @Override
  public void delete(String name) {
    secrets.remove(SecretNames.requireValid(name));
  }

  public Map<String, String> all() {
    return Map.copyOf(secrets);
  }

  /** How many reads of a secret were asked so far. */
  public int reads() {
    return reads.get();
  }
}
