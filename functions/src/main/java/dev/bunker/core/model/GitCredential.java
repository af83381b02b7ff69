package dev.bunker.core.model;

/**
 * What authenticates Bunker to Azure DevOps, for REST and git alike: a PAT (HTTP Basic with any
 * user name) or an OAuth access token (Bearer). Goes into headers, never into URLs.
 */
public record GitCredential(Scheme scheme, String username, Secret token) {
  /** The HTTP authentication scheme. */
  public enum Scheme {
    BASIC,
    BEARER
  }

  public static GitCredential pat(String username, Secret token) {
    return new GitCredential(Scheme.BASIC, username == null ? "" : username, token);
  }

  public static GitCredential bearer(Secret token) {
    return new GitCredential(Scheme.BEARER, null, token);
  }
}
