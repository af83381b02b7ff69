package dev.bunker.core.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The Entra ID app registration Bunker signs in with.
 *
 * @param authority e.g. {@code https://login.microsoftonline.com/organizations} (the tenant, or a
 *     test server); endpoints are {@code {authority}/oauth2/v2.0/authorize} and {@code …/token}, and
 *     {@code {authority}/v2.0/adminconsent} for an administrator's consent for the whole tenant
 * @param clientId the app registration's application (client) id
 * @param redirectUri the registered redirect URI, Bunker's {@code /api/oauth/callback}
 * @param clientSecretName the secret holding the app registration's client secret
 * @param stateSigningSecretName the secret holding the key that signs sign-in state
 * @param stateLifetime how long a started sign-in may take
 */
public record OAuthSettings(URI authority, String clientId, URI redirectUri, String clientSecretName,
    String stateSigningSecretName, Duration stateLifetime) {
  /** Azure DevOps as an Entra ID resource, plus a refresh token and the signed-in user's id token. */
  public static final String SCOPE = "openid offline_access 499b84ac-1321-427f-aa17-267ca6975798/.default";
  public static final Duration DEFAULT_STATE_LIFETIME = Duration.ofMinutes(10);

  public OAuthSettings {
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(redirectUri, "redirectUri");
    Objects.requireNonNull(clientSecretName, "clientSecretName");
    Objects.requireNonNull(stateSigningSecretName, "stateSigningSecretName");
    Objects.requireNonNull(stateLifetime, "stateLifetime");
    if (!redirectUri.isAbsolute() || redirectUri.getHost() == null) {
      throw new IllegalArgumentException("the OAuth redirect URI must be an absolute URL, not " + redirectUri);
    }
  }

  public URI authorizeEndpoint() {
    return endpoint("authorize");
  }

  public URI tokenEndpoint() {
    return endpoint("token");
  }

  /**
   * Where an administrator consents for the whole tenant. Entra refuses {@code common} there
   * (a personal account cannot consent for an organization): {@code organizations} stands in for it.
   */
  public URI adminConsentEndpoint() {
    String base = authority.toString().replaceAll("/+$", "");
    if (base.endsWith("/common")) {
      base = base.substring(0, base.length() - "common".length()) + "organizations";
    }
    return URI.create(base + "/v2.0/adminconsent");
  }

  /** The origin of Bunker itself (scheme, host, port of the redirect URI): where the console runs. */
  public String appOrigin() {
    return redirectUri.getScheme() + "://" + redirectUri.getHost()
        + (redirectUri.getPort() == -1 ? "" : ":" + redirectUri.getPort());
  }

  private URI endpoint(String name) {
    String base = authority.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "oauth2/v2.0/" + name);
  }
}
