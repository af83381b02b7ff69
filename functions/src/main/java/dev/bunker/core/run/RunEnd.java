package dev.bunker.core.run;

import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunEnded;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Signal;
import dev.bunker.core.port.RunRecords;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A run's end, seen by whoever recorded its last result: a backup worker, or the discovery that
 * finds the backups sent before it all finished. The run records how it ended ({@link RunEnded});
 * a run that did not back up everything raises its signal; two seeing the end at once may both
 * raise it: at least once.
 */
final class RunEnd {
  private static final Logger LOG = Logger.getLogger(RunEnd.class.getName());

  private final RunRecords runs;

  RunEnd(RunRecords runs) {
    this.runs = runs;
  }

  void signalIfEnded(String organizationId, String runId) {
    Optional<Run> run = runs.find(organizationId, runId);
    if (run.isEmpty() || !runs.allFinished(runId)) {
      return;
    }
    List<RepositoryResult> results = runs.results(runId);
    record(run.get(), results);
    signalEnded(run.get(), results);
  }

  /**
   * Records on the run how it ended, as {@code results} (all of them, all finished) say, unless it
   * has not (not yet discovered) or it is recorded already.
   */
  void record(Run run, List<RepositoryResult> results) {
    RunReport report = RunReport.of(run, results, false);
    if (run.ended() != null || report.status() == RunStatus.QUEUED || report.status() == RunStatus.RUNNING) {
      return;
    }
    try {
      runs.recordEnd(run.organizationId(), run.id(), new RunEnded(report.status(), report.counts(),
          report.finishedAt()));
    } catch (RuntimeException e) {
      // only a shortcut for lists of runs, which count the results without it: the end is still
      // announced, and a redelivery would announce nothing
      LOG.log(Level.WARNING, "run " + run.id() + ": how it ended could not be recorded: " + e.getMessage(), e);
    }
  }

  /** As {@link #signalIfEnded(String, String)}, for a run its caller read and found ended, with its {@code results}. */
  void signalEnded(Run run, List<RepositoryResult> results) {
    if (run.error() != null) {
      return; // the discovery that failed signalled it
    }
    RunStatus status = RunStatus.of(run, results);
    if (status != RunStatus.FAILED && status != RunStatus.PARTIALLY_SUCCEEDED) {
      return;
    }
    List<RepositoryResult> failed = results.stream().filter(r -> r.status() != ResultStatus.SUCCEEDED).toList();
    String detail = failed.size() + " of " + results.size() + " not backed up, e.g. " + failed.get(0).project()
        + "/" + failed.get(0).repository() + ": " + failed.get(0).error();
    (status == RunStatus.FAILED ? Signal.RUN_FAILED : Signal.RUN_PARTIALLY_FAILED)
        .emit(Map.of("organizationId", run.organizationId(), "runId", run.id()), detail);
  }
}
