package dev.bunker.core.oauth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A ledger for one process (local development, tests). */
public final class InMemoryOAuthStateLedger implements OAuthStateLedger {
  private final Map<String, Instant> used = new ConcurrentHashMap<>();

  @Override
  public boolean claim(String nonce, Instant expiresAt) {
    return used.putIfAbsent(nonce, expiresAt) == null;
  }

  @Override
  public void forgetExpired(Instant now) {
    used.values().removeIf(expiresAt -> expiresAt.isBefore(now));
  }
}
