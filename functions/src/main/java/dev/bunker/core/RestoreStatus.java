package dev.bunker.core;

/** Where a restore stands. */
public enum RestoreStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
