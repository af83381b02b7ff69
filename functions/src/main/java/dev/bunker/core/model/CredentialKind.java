package dev.bunker.core.model;

/** How a credential's secret got into the secret store. */
public enum CredentialKind {
  /** A personal access token given to Bunker, stored under a name Bunker chose. */
  PAT,
  /** A secret someone put into Key Vault themselves; Bunker only references it and never deletes it. */
  KEY_VAULT_SECRET,
  /** A refresh token from the OAuth (Entra ID) flow. */
  OAUTH
}
