package dev.bunker.core.port;

import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunEnded;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code runs} and {@code results} tables. */
public interface RunRecords {
  /** Adds the run unless one with its id exists; true when this call added it. */
  boolean createIfAbsent(Run run);

  Optional<Run> find(String organizationId, String runId);

  /** Replaces an existing run. */
  void update(Run run);

  /**
   * Records how the run ended ({@link Run#ended}), leaving its other fields as they are; a run that
   * is gone stays gone.
   */
  void recordEnd(String organizationId, String runId, RunEnded ended);

  /** The organization's newest {@code top} runs, newest first. */
  List<Run> newest(String organizationId, int top);

  /** Adds each result unless the run already has one for that repository (a redelivered discovery keeps progress). */
  void addResultsIfAbsent(Collection<RepositoryResult> results);

  Optional<RepositoryResult> result(String runId, String repositoryId);

  /** Creates or replaces one result. */
  void saveResult(RepositoryResult result);

  /** Every result of the run; reads them all, so not for work done once per result. */
  List<RepositoryResult> results(String runId);

  /**
   * The run's results in flight: dispatched and not finished, less the claims from before
   * {@code unsentBefore} that never started ({@link RepositoryResult#awaitsDispatch}). Reads about
   * as many rows as it answers (at most the run's concurrency, unless racing dispatchers overshot).
   */
  List<RepositoryResult> inFlight(String runId, Instant unsentBefore);

  /**
   * The first {@code top} of the run's results that {@link RepositoryResult#awaitsDispatch await
   * dispatch}, in repository id order. Reads no more rows than these plus the claims still in flight.
   */
  List<RepositoryResult> awaitingDispatch(String runId, Instant unsentBefore, int top);

  /** Whether every result of the run is finished; reads at most one row. */
  boolean allFinished(String runId);

  /**
   * Claims one result for sending its backup: atomically marks it dispatched at {@code now} if it
   * still {@link RepositoryResult#awaitsDispatch awaits dispatch} with {@code unsentBefore}. True
   * when this call claimed it; of callers racing for one result, exactly one wins.
   */
  boolean claimDispatch(String runId, String repositoryId, Instant now, Instant unsentBefore);

  /**
   * Takes back a result whose backup was queued before the run's discovery and that the listing no
   * longer asks for: deletes it if it {@link RepositoryResult#isWithdrawable is withdrawable},
   * atomically against a concurrent write of it (a result that starts or succeeds meanwhile stays).
   * A message already sent for it then finds no result and is dropped. True when this call deleted it.
   */
  boolean withdraw(String runId, String repositoryId);
}
