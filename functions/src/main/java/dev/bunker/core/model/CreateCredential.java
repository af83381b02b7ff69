package dev.bunker.core.model;

/** The body of POST /credentials: a PAT ({@code token}, optional {@code username}) or a reference to an existing Key Vault secret. */
public record CreateCredential(String name, String token, String username, String keyVaultSecretName) {
  @Override
  public String toString() {
    return "CreateCredential[name=" + name + ", keyVaultSecretName=" + keyVaultSecretName + "]";
  }
}
