package dev.bunker.core.run;

import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.RepositoryRecords;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.port.WorkQueue;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts a run, whether the API or the scheduler asks: records it, queues at once the backups of
 * the repositories the catalog already protects (sending the first ones, up to the policy's
 * concurrency), and then asks for its discovery, which adds what is new and takes back what is no
 * longer listed ({@link Discovery}). So the first backups wait neither for the listing nor for the
 * discovery's queue hop, in an organization's first run too (its registration listed them). One
 * without catalogued repositories (that listing failed) is discovered first. Starting the same
 * run again adds and sends nothing twice (results are added if absent, backups sent only by their
 * claim's winner). When its discovery cannot be queued, a scheduled run is started again by the
 * scheduler's next tick (same run id; a run started again after its discovery ran is left alone); a
 * manual one fails, saying why and raising its signal, and its results neither running nor
 * succeeded are withdrawn (backups sent find theirs gone): it would otherwise stay running for
 * ever, never discovered.
 */
public final class RunStart {
  private static final Logger LOG = Logger.getLogger(RunStart.class.getName());

  private final RepositoryRecords repositories;
  private final RunRecords runs;
  private final BackupDispatcher dispatcher;
  private final WorkQueue queue;
  private final Clock clock;

  public RunStart(RepositoryRecords repositories, RunRecords runs, BackupDispatcher dispatcher, WorkQueue queue,
      Clock clock) {
    this.repositories = repositories;
    this.runs = runs;
    this.dispatcher = dispatcher;
    this.queue = queue;
    this.clock = clock;
  }

  /** Records {@code run}, sends its first known backups and enqueues its discovery (last: it may take back those). */
  public void start(Organization organization, Run run) {
    if (!runs.createIfAbsent(run) && runs.find(run.organizationId(), run.id())
        .filter(existing -> existing.discoveredAt() != null || existing.error() != null).isPresent()) {
      // started again (a scheduler tick after a start whose queueing only seemed to fail): its
      // discovery ran, and a run discovered gets no results but its discovery's
      return;
    }
    try {
      int sent = queueKnownBackups(organization, run);
      if (sent > 0) {
        LOG.info(() -> "run " + run.id() + " of organization " + organization.id() + ": " + sent
            + " backups of known repositories sent before discovery");
      }
    } catch (RuntimeException e) {
      // only the head start is lost: discovery queues every backup the listing asks for
      LOG.log(Level.WARNING, "run " + run.id() + ": backups of known repositories could not be queued before"
          + " discovery: " + e.getMessage());
    }
    try {
      queue.enqueue(new WorkItem.Discover(organization.id(), run.id(), run.trigger(), run.slot()));
    } catch (RuntimeException e) {
      if (run.trigger() == Trigger.MANUAL) {
        try {
          abandon(run, "its discovery could not be queued: " + e.getMessage());
        } catch (RuntimeException alsoFailed) {
          e.addSuppressed(alsoFailed); // the catalog is down with the queue: what failed first is the answer
        }
      }
      throw e;
    }
  }

  /**
   * Fails a run that will not be discovered, withdrawing its results that are neither running nor
   * succeeded, and raises its signal (a failed discovery would have).
   */
  private void abandon(Run run, String reason) {
    for (RepositoryResult result : runs.results(run.id())) {
      runs.withdraw(run.id(), result.repositoryId());
    }
    runs.update(runs.find(run.organizationId(), run.id()).orElse(run).failed(clock.instant(), reason));
    LOG.warning(() -> "run " + run.id() + " of organization " + run.organizationId() + " failed: " + reason);
    Signal.RUN_FAILED.emit(Map.of("organizationId", run.organizationId(), "runId", run.id()), reason);
  }

  /**
   * The catalog's protected repositories that the policy and the run still select, as of the last
   * listing (the registration's or a discovery's); a repository whose clone URL could not be used waits for discovery to say why.
   */
  private int queueKnownBackups(Organization organization, Run run) {
    Policy policy = organization.policy();
    List<RepositoryResult> known = repositories.list(organization.id()).stream()
        .filter(repository -> repository.state() == RepositoryState.PROTECTED && repository.remoteUrl() != null
            && policy.selects(repository.project(), repository.name(), repository.kind())
            && run.selection().selects(repository))
        .map((Repository repository) -> RepositoryResult.queued(run.id(), repository))
        .toList();
    if (known.isEmpty()) {
      return 0;
    }
    runs.addResultsIfAbsent(known);
    return dispatcher.fill(run.organizationId(), run.id(), policy.concurrency()).sent();
  }
}
