package dev.bunker.core.model;

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
