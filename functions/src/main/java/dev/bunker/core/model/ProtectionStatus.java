package dev.bunker.core.model;

/** Whether a repository or metadata scope is backed up within its organization's policy. */
public enum ProtectionStatus {
  /** A snapshot at or after the last scheduled slot (less the run's grace time). */
  PROTECTED,
  /** The last scheduled backup was missed: the newest snapshot is older than the slot it was due for. */
  AT_RISK,
  /** The last attempt failed (the repository's backup, or the run before it reached the repository). */
  FAILING,
  /** Never backed up: no snapshot yet, and no attempt that failed. */
  NEVER
}
