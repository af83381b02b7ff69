package dev.bunker.core.oauth;

import java.time.Instant;

/**
 * Remembers which sign-ins were completed, so that a callback's state works once. Shared by every
 * instance of the app (Azure Tables in Azure).
 */
public interface OAuthStateLedger {
  /**
   * Marks the sign-in {@code nonce} as used. True the first time, false on every later call, also
   * when two calls race. The entry may be forgotten after {@code expiresAt}: state that old is
   * refused before the ledger is asked.
   */
  boolean claim(String nonce, Instant expiresAt);

  /** Drops entries that expired before {@code now}; housekeeping, safe to call any time. */
  void forgetExpired(Instant now);
}
