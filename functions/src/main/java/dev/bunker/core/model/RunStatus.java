package dev.bunker.core.model;

import java.util.List;

/** A run's status, derived from its results. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  PARTIALLY_SUCCEEDED,
  FAILED;

  public static RunStatus of(Run run, List<RepositoryResult> results) {
    if (run.error() != null) {
      return FAILED;
    }
    boolean started =
        results.stream().anyMatch(result -> result.status() != ResultStatus.QUEUED || result.attempts() > 0);
    // backups of known repositories start before discovery: the run ends only once it is discovered
    if (run.discoveredAt() == null || results.stream().anyMatch(result -> !result.status().isFinished())) {
      return started ? RUNNING : QUEUED;
    }
    long succeeded = results.stream().filter(result -> result.status() == ResultStatus.SUCCEEDED).count();
    if (succeeded == results.size()) {
      return SUCCEEDED;
    }
    return succeeded == 0 ? FAILED : PARTIALLY_SUCCEEDED;
  }
}
