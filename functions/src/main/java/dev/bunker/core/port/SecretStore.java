package dev.bunker.core.port;

import java.util.Optional;

/** Where secrets (PATs, refresh tokens, signing keys) live: Key Vault in Azure, a local file in development. */
public interface SecretStore {
  /** Creates or replaces the secret {@code name}. */
  void put(String name, String value);

  /** The current value of {@code name}, if it exists. */
  Optional<String> get(String name);

  /** Deletes {@code name}; deleting a missing secret is not an error. */
  void delete(String name);
}
