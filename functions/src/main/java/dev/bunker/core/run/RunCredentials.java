package dev.bunker.core.run;

import dev.bunker.core.model.GitCredential;
import dev.bunker.core.organization.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials of runs' backups, unlocked once per run instead of once per repository: unlocking
 * a PAT reads the secret store (a Key Vault round trip in Azure) and the catalog. A secret is kept in
 * this process's memory only, never written anywhere, for at most {@link #LIFETIME} after it was read
 * and for at most {@link #MAX_RUNS} runs at a time. A secret changed meanwhile reaches the next run,
 * the first backup after the lifetime, or the backup after one that failed: a failure forgets the
 * run's credential. OAuth access tokens are not kept here: their source keeps each until it expires.
 */
final class RunCredentials {
  /** Long enough for a run's backups to share a read, short enough for a rotated secret to arrive soon. */
  static final Duration LIFETIME = Duration.ofMinutes(5);
  static final int MAX_RUNS = 64;

  private record Unlocked(String credentialId, GitCredential credential, Instant readAt) {}

  private final Credentials credentials;
  private final Clock clock;
  private final Map<String, Unlocked> byRun = new ConcurrentHashMap<>();

  RunCredentials(Credentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  /** Credential {@code credentialId}, unlocked for run {@code runId}; as {@link Credentials#unlock(String)}. */
  GitCredential unlock(String runId, String credentialId) {
    Instant now = clock.instant();
    Unlocked kept = byRun.get(runId);
    if (kept != null && kept.credentialId().equals(credentialId) && fresh(kept, now)) {
      return kept.credential();
    }
    GitCredential credential = credentials.unlock(credentialId);
    if (credential.scheme() == GitCredential.Scheme.BASIC) {
      byRun.values().removeIf(other -> !fresh(other, now));
      if (byRun.size() >= MAX_RUNS) {
        byRun.clear();
      }
      byRun.put(runId, new Unlocked(credentialId, credential, now));
    }
    return credential;
  }

  /** Forgets what run {@code runId} unlocked: its next backup reads the secret again. */
  void forget(String runId) {
    byRun.remove(runId);
  }

  private static boolean fresh(Unlocked kept, Instant now) {
    return now.isBefore(kept.readAt().plus(LIFETIME)) && !now.isBefore(kept.readAt());
  }
}
