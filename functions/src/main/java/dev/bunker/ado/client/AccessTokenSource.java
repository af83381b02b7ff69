package dev.bunker.ado.client;

/**
 * Hands out a currently valid OAuth access token for Azure DevOps (resource
 * {@code 499b84ac-1321-427f-aa17-267ca6975798}), refreshing and re-storing the refresh token as
 * needed. Called before every request, so implementations cache until shortly before expiry.
 */
@FunctionalInterface
public interface AccessTokenSource {
  String accessToken();
}
