package dev.bunker.core.port;

import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.Run;
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

  /** The organization's newest {@code top} runs, newest first. */
  List<Run> newest(String organizationId, int top);

  /** Adds each result unless the run already has one for that repository (a redelivered discovery keeps progress). */
  void addResultsIfAbsent(Collection<RepositoryResult> results);

  Optional<RepositoryResult> result(String runId, String repositoryId);

  /** Creates or replaces one result. */
  void saveResult(RepositoryResult result);

  List<RepositoryResult> results(String runId);

  /**
   * Claims one result for sending its backup: atomically marks it dispatched at {@code now} if it
   * still {@link RepositoryResult#awaitsDispatch awaits dispatch} with {@code unsentBefore}. True
   * when this call claimed it; of callers racing for one result, exactly one wins.
   */
  boolean claimDispatch(String runId, String repositoryId, Instant now, Instant unsentBefore);
}
