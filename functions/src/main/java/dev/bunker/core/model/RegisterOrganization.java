package dev.bunker.core.model;

/** The body of POST /organizations: the URL and either a stored credential or a PAT given once. */
public record RegisterOrganization(String url, String credentialId, String pat, String username, PolicyInput policy) {
  @Override
  public String toString() {
    return "RegisterOrganization[url=" + url + ", credentialId=" + credentialId + "]";
  }
}
