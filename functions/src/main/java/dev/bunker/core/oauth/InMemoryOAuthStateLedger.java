package dev.bunker.core.oauth;

import dev.bunker.core.model.AuditEntry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A ledger for one process (local development, tests). */
public final class InMemoryOAuthStateLedger implements OAuthStateLedger {
  private record Started(AuditEntry.Actor by, Instant expiresAt) {}

  private final Map<String, Started> started = new ConcurrentHashMap<>();
  private final Map<String, Instant> used = new ConcurrentHashMap<>();

  @Override
  public void begin(String nonce, AuditEntry.Actor startedBy, Instant expiresAt) {
    started.put(nonce, new Started(startedBy, expiresAt));
  }

  @Override
  public Optional<AuditEntry.Actor> startedBy(String nonce) {
    return Optional.ofNullable(started.get(nonce)).map(Started::by);
  }

  @Override
  public boolean claim(String nonce, Instant expiresAt) {
    return used.putIfAbsent(nonce, expiresAt) == null;
  }

  @Override
  public void forgetExpired(Instant now) {
    used.values().removeIf(expiresAt -> expiresAt.isBefore(now));
    started.values().removeIf(signIn -> signIn.expiresAt().isBefore(now));
  }
}
