package dev.bunker.core.oauth;

/**
 * A completed sign-in: the organization it was started for and the tokens granted. The caller
 * checks access to the organization with the access token, then keeps the grant
 * ({@link AccessTokenSource#remember}). {@code adminConsent}: a tenant administrator consented on
 * behalf of the organization before signing in.
 */
public record Authorization(String organizationUrl, boolean adminConsent, TokenGrant grant) {}
