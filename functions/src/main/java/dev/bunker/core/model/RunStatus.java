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
    if (run.discoveredAt() == null) {
      return QUEUED;
    }
    if (results.stream().anyMatch(result -> !result.status().isFinished())) {
      boolean started =
          results.stream().anyMatch(result -> result.status() != ResultStatus.QUEUED || result.attempts() > 0);
      return started ? RUNNING : QUEUED;
    }
    long succeeded = results.stream().filter(result -> result.status() == ResultStatus.SUCCEEDED).count();
    if (succeeded == results.size()) {
      return SUCCEEDED;
    }
    return succeeded == 0 ? FAILED : PARTIALLY_SUCCEEDED;
  }
}
