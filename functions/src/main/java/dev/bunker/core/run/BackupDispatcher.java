package dev.bunker.core.run;

import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultKind;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.port.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps at most the policy's concurrency of a run's backups (repositories and project metadata) in
 * flight: discovery sends the first ones, and each backup that finishes sends the next. Backups finishing together read the same
 * results and pick the same next repositories, so each repository is claimed in the catalog (an
 * atomic, conditional write) before its message is sent: only the claim's winner sends it. A claim
 * whose message never went out (the send failed, or the claimer died in between) counts as in
 * flight until {@link #UNSENT_CLAIM_TIMEOUT} and is then claimed and sent again by the next fill,
 * at the latest the scheduler's top-up. Racing callers may briefly run fewer, never more.
 */
public final class BackupDispatcher {
  /**
   * How long a claimed backup may stay unstarted before it is sent again; longer than a queue
   * message normally waits for a worker, and a second message for it would only be dropped.
   */
  static final Duration UNSENT_CLAIM_TIMEOUT = Duration.ofMinutes(15);

  private final RunRecords runs;
  private final WorkQueue queue;
  private final Clock clock;

  public BackupDispatcher(RunRecords runs, WorkQueue queue, Clock clock) {
    this.runs = runs;
    this.queue = queue;
    this.clock = clock;
  }

  /**
   * What a fill did: how many backups it sent, and whether it saw a backup of the run queued or in
   * flight (then the run had not ended when it looked).
   */
  record Filled(int sent, boolean sawUnfinished) {}

  /** Dispatches queued backups of run {@code runId} until {@code concurrency} are in flight. */
  Filled fill(String organizationId, String runId, int concurrency) {
    Instant now = clock.instant();
    Instant unsentBefore = now.minus(UNSENT_CLAIM_TIMEOUT);
    // Bounded reads: a finished backup costs about the concurrency in rows, whatever the run's size.
    // The candidates are read before what is in flight, so that a claim made in between is
    // counted: two fills then choose from the same first candidates and collide on their claims.
    List<RepositoryResult> candidates = runs.awaitingDispatch(runId, unsentBefore, concurrency);
    List<RepositoryResult> inFlight = runs.inFlight(runId, unsentBefore);
    long free = concurrency - inFlight.size();
    List<RepositoryResult> next = candidates.stream().limit(Math.max(0, free)).toList();
    int sent = 0;
    for (RepositoryResult result : next) {
      if (runs.claimDispatch(runId, result.repositoryId(), now, unsentBefore)) {
        queue.enqueue(work(organizationId, runId, result));
        sent++;
      }
    }
    return new Filled(sent, !candidates.isEmpty() || !inFlight.isEmpty());
  }

  /** Sends again the backups already in flight (a redelivered discovery may have lost them). */
  void resend(Run run) {
    for (RepositoryResult result : runs.results(run.id())) {
      if (result.isInFlight()) {
        queue.enqueue(work(run.organizationId(), run.id(), result));
      }
    }
  }

  private static WorkItem work(String organizationId, String runId, RepositoryResult result) {
    return result.kind() == ResultKind.METADATA
        ? new WorkItem.BackupMetadata(organizationId, runId, result.projectId())
        : new WorkItem.BackupRepository(organizationId, runId, result.repositoryId());
  }
}
