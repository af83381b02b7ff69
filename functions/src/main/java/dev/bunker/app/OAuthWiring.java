package dev.bunker.app;

import com.azure.data.tables.TableServiceClient;
import dev.bunker.ado.AdoSourceDirectory;
import dev.bunker.ado.client.AllowList;
import dev.bunker.azure.EntraTokenEndpoint;
import dev.bunker.azure.tables.TableOAuthStateLedger;
import dev.bunker.core.Bunker;
import dev.bunker.core.oauth.AccessTokenSource;
import dev.bunker.core.oauth.CallbackPage;
import dev.bunker.core.oauth.GrantTokens;
import dev.bunker.core.oauth.OAuthConnections;
import dev.bunker.core.oauth.OAuthConnector;
import dev.bunker.core.oauth.OAuthSettings;
import dev.bunker.core.oauth.TokenEndpoint;
import dev.bunker.core.port.OAuthTokens;
import dev.bunker.core.port.SecretStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Connecting organizations by Entra ID sign-in, on when {@link Setting#OAUTH_CLIENT_ID} is set: the
 * token refresh the domain services need is built first, the connections (which need those services)
 * after them; called by {@code App}.
 */
final class OAuthWiring {
  private final Optional<OAuthSettings> oauthSettings;
  private final Optional<TokenEndpoint> tokenEndpoint;
  private final Optional<AccessTokenSource> accessTokens;
  private final SecretStore secrets;
  private final Clock clock;

  OAuthWiring(Map<String, String> settings, SecretStore secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
    oauthSettings = SecretWiring.oauthSettings(settings);
    tokenEndpoint = oauthSettings
        .map(oauth -> new EntraTokenEndpoint(oauth, secrets, EntraTokenEndpoint.defaultHttpClient(), clock));
    accessTokens = tokenEndpoint.map(endpoint -> new AccessTokenSource(endpoint, secrets, clock));
  }

  /** Entra ID token refresh for organizations connected by OAuth; not configured when OAuth is off. */
  OAuthTokens tokens() {
    return accessTokens.<OAuthTokens>map(GrantTokens::new).orElseGet(() -> NotConfigured.port(OAuthTokens.class,
        "OAuth (Entra ID; set " + Setting.OAUTH_CLIENT_ID.key() + ")"));
  }

  /** The sign-in flow, its state kept in the app's tables; empty when OAuth is off. */
  Optional<OAuthConnections> connections(TableServiceClient tables, AdoSourceDirectory source, AllowList allowList,
      Bunker bunker) {
    return oauthSettings.map(oauthSetting -> new OAuthConnections(
        new OAuthConnector(oauthSetting, secrets,
            TableOAuthStateLedger.create(tables, TableOAuthStateLedger.DEFAULT_TABLE),
            tokenEndpoint.orElseThrow(), clock, new SecureRandom()),
        accessTokens.orElseThrow(), source, bunker.credentials(), bunker.organizations(),
        url -> allowList.allows(URI.create(url)), new CallbackPage(oauthSetting.appOrigin())));
  }
}
