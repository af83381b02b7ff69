package dev.bunker.core;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps at most the policy's concurrency of a run's backups in flight: discovery sends the first
 * ones, and each backup that finishes sends the next. The message is sent before the result is
 * marked dispatched, so a crash in between sends a repository twice (harmless: backups are
 * idempotent) but never loses one; racing callers may briefly run fewer, never many more. The
 * scheduler tops runs up too, so a worker that died between finishing and dispatching stalls
 * nothing for long.
 */
final class BackupDispatcher {
  private final RunRecords runs;
  private final WorkQueue queue;
  private final Clock clock;

  BackupDispatcher(RunRecords runs, WorkQueue queue, Clock clock) {
    this.runs = runs;
    this.queue = queue;
    this.clock = clock;
  }

  /** Dispatches queued backups of {@code run} until {@code concurrency} are in flight; returns how many it sent. */
  int fill(Run run, int concurrency) {
    List<RepositoryResult> results = runs.results(run.id());
    long inFlight = results.stream().filter(RepositoryResult::isInFlight).count();
    List<RepositoryResult> next = results.stream()
        .filter(result -> result.dispatchedAt() == null && !result.status().isFinished())
        .sorted(Comparator.comparing(RepositoryResult::repositoryId))
        .limit(Math.max(0, concurrency - inFlight))
        .toList();
    for (RepositoryResult result : next) {
      queue.enqueue(new WorkItem.BackupRepository(run.organizationId(), run.id(), result.repositoryId()));
      runs.saveResult(result.dispatched(clock.instant()));
    }
    return next.size();
  }

  /** Sends again the backups already in flight (a redelivered discovery may have lost them). */
  void resend(Run run) {
    for (RepositoryResult result : runs.results(run.id())) {
      if (result.isInFlight()) {
        queue.enqueue(new WorkItem.BackupRepository(run.organizationId(), run.id(), result.repositoryId()));
      }
    }
  }
}
