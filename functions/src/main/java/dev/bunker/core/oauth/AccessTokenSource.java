package dev.bunker.core.oauth;

import dev.bunker.core.port.SecretStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens for organizations connected by OAuth. Each organization's refresh token is a
 * secret (named by the caller); its access token is cached in memory and refreshed shortly before
 * it expires, and the refresh token Entra ID hands back each time replaces the stored one.
 */
public final class AccessTokenSource {
  private static final System.Logger LOG = System.getLogger(AccessTokenSource.class.getName());
  /** Refresh this long before expiry, so that a token handed out lasts through a git fetch's start. */
  public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

  private final TokenEndpoint endpoint;
  private final SecretStore secrets;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private record Cached(String accessToken, Instant expiresAt) {}

  public AccessTokenSource(TokenEndpoint endpoint, SecretStore secrets, Clock clock) {
    this.endpoint = endpoint;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** Keeps a new grant (from a completed sign-in) under {@code refreshTokenSecretName}. */
  public void remember(String refreshTokenSecretName, TokenGrant grant) {
    String refreshToken = grant.refreshToken().orElseThrow(() -> new OAuthException("invalid_grant",
        "Microsoft Entra ID granted no refresh token (the offline_access scope was not granted)"));
    synchronized (lock(refreshTokenSecretName)) {
      secrets.put(refreshTokenSecretName, refreshToken);
      cache.put(refreshTokenSecretName, new Cached(grant.accessToken(), grant.expiresAt()));
    }
  }

  /**
   * A valid access token for the grant kept under {@code refreshTokenSecretName}.
   *
   * @throws ConsentRevokedException the grant is gone (or was never kept): the organization needs re-consent
   * @throws OAuthException Entra ID could not be reached or refused for another reason
   */
  public String accessToken(String refreshTokenSecretName) {
    Cached cached = cache.get(refreshTokenSecretName);
    if (isFresh(cached)) {
      return cached.accessToken();
    }
    synchronized (lock(refreshTokenSecretName)) {
      cached = cache.get(refreshTokenSecretName);
      if (isFresh(cached)) {
        return cached.accessToken();
      }
      return refresh(refreshTokenSecretName);
    }
  }

  /** Forgets the grant (the organization was removed): deletes the refresh token. */
  public void forget(String refreshTokenSecretName) {
    synchronized (lock(refreshTokenSecretName)) {
      cache.remove(refreshTokenSecretName);
      secrets.delete(refreshTokenSecretName);
    }
  }

  private String refresh(String secretName) {
    String refreshToken = secrets.get(secretName).orElseThrow(() -> new ConsentRevokedException("invalid_grant",
        "no refresh token is stored as '" + secretName + "': sign in again to connect the organization"));
    TokenGrant grant;
    try {
      grant = endpoint.refresh(refreshToken);
    } catch (ConsentRevokedException e) {
      cache.remove(secretName);
      LOG.log(Level.WARNING, "the OAuth grant kept as {0} was revoked or expired ({1})", secretName, e.error());
      throw e;
    }
    if (grant.refreshToken().isPresent() && !grant.refreshToken().get().equals(refreshToken)) {
      secrets.put(secretName, grant.refreshToken().get());
    }
    cache.put(secretName, new Cached(grant.accessToken(), grant.expiresAt()));
    LOG.log(Level.DEBUG, "refreshed the access token of the grant kept as {0}, valid until {1}", secretName,
        grant.expiresAt());
    return grant.accessToken();
  }

  private boolean isFresh(Cached cached) {
    return cached != null && clock.instant().isBefore(cached.expiresAt().minus(REFRESH_BEFORE_EXPIRY));
  }

  private Object lock(String secretName) {
    return locks.computeIfAbsent(secretName, name -> new Object());
  }
}
