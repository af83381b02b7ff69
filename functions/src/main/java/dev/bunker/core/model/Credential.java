package dev.bunker.core.model;

import dev.bunker.core.port.SecretStore;
import java.time.Instant;

/**
 * A credential in the "password manager": its secret lives in the {@link SecretStore} under {@code
 * secretName}; this record never holds the secret itself.
 */
public record Credential(
    String id,
    String name,
    CredentialKind kind,
    String secretName,
    String username,
    Instant createdAt,
    Instant lastValidatedAt) {

  public Credential validatedAt(Instant when) {
    return new Credential(id, name, kind, secretName, username, createdAt, when);
  }
}
