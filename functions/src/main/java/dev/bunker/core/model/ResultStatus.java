package dev.bunker.core.model;

/** Where the backup of one repository in one run stands. */
public enum ResultStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
