package dev.bunker.core.oauth;

import dev.bunker.core.model.AuditEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers who started each sign-in and which sign-ins were completed, so that a callback's state
 * works once and its audit entry names the admin who started it (the callback itself is anonymous:
 * App Service authentication does not guard it, so its principal headers, if any, are nobody's
 * word). Shared by every instance of the app (Azure Tables in Azure).
 */
public interface OAuthStateLedger {
  /**
   * Records that {@code startedBy} started the sign-in {@code nonce}; kept until {@code expiresAt}.
   * Nonces are random: a second call for one nonce does not happen.
   */
  void begin(String nonce, AuditEntry.Actor startedBy, Instant expiresAt);

  /** Who started the sign-in {@code nonce}; empty when it was not begun here or has been forgotten. */
  Optional<AuditEntry.Actor> startedBy(String nonce);

  /**
   * Marks the sign-in {@code nonce} as used. True the first time, false on every later call, also
   * when two calls race. The entry may be forgotten after {@code expiresAt}: state that old is
   * refused before the ledger is asked.
   */
  boolean claim(String nonce, Instant expiresAt);

  /** Drops entries (begun and used sign-ins) that expired before {@code now}; housekeeping, safe to call any time. */
  void forgetExpired(Instant now);
}
