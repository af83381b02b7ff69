package dev.bunker.core.oauth;

import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceException.Reason;
import dev.bunker.core.port.OAuthTokens;

/**
 * The domain's {@link OAuthTokens} over the {@link AccessTokenSource}: a revoked or expired grant
 * is a credential Azure DevOps will not accept (the organization then needs a new sign-in); an
 * identity provider that cannot be reached is worth trying again later.
 */
public final class GrantTokens implements OAuthTokens {
  private final AccessTokenSource tokens;

  public GrantTokens(AccessTokenSource tokens) {
    this.tokens = tokens;
  }

  @Override
  public Secret accessToken(String refreshTokenSecretName) {
    try {
      return Secret.of(tokens.accessToken(refreshTokenSecretName));
    } catch (ConsentRevokedException e) {
      throw new SourceException(Reason.CREDENTIAL_NOT_ACCEPTED,
          "the OAuth grant was revoked or has expired: sign in again to reconnect the organization ("
              + e.getMessage() + ")");
    } catch (OAuthException e) {
      throw new SourceException(Reason.UNAVAILABLE, "Microsoft Entra ID did not refresh the access token: "
          + e.getMessage());
    }
  }
}
