package dev.bunker.core.oauth;

/** The identity provider's token endpoint (Entra ID), for Bunker's app registration. */
public interface TokenEndpoint {
  /** Exchanges an authorization code (with its PKCE verifier) for tokens. */
  TokenGrant redeem(String code, String codeVerifier);

  /**
   * Exchanges a refresh token for a new access token (and a rotated refresh token).
   *
   * @throws ConsentRevokedException when the grant is gone: revoked, expired, consent withdrawn
   */
  TokenGrant refresh(String refreshToken);
}
