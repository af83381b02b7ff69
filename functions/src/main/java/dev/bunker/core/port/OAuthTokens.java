package dev.bunker.core.port;

import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceException;

/** Turns a stored OAuth grant into a fresh access token (the Entra ID token endpoint in production). */
public interface OAuthTokens {
  /**
   * A current access token for the grant whose refresh token is stored under {@code
   * refreshTokenSecretName}; {@link SourceException.Reason#CREDENTIAL_NOT_ACCEPTED} when the grant
   * was revoked.
   */
  Secret accessToken(String refreshTokenSecretName);
}
