package dev.bunker.core.run;

import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunIds;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.RunRecords;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Starting a run now, and reading runs with their derived status. */
public final class Runs {
  public static final int DEFAULT_TOP = 20;
  public static final int MAX_TOP = 100;

  private final Organizations organizations;
  private final RunRecords records;
  private final RunStart start;
  private final Clock clock;
  private final RandomIds ids;

  public Runs(Organizations organizations, RunRecords records, RunStart start, Clock clock, RandomIds ids) {
    this.organizations = organizations;
    this.records = records;
    this.start = start;
    this.clock = clock;
    this.ids = ids;
  }

  /** Starts a manual run ({@link RunStart}): its known repositories' backups are sent before its discovery. */
  public RunReport startNow(String organizationId, RunSelection selection) {
    RunSelection validated = RunSelection.validated(selection);
    Organization organization = organizations.get(organizationId);
    Run run = Run.queued(organization.id(), RunIds.next(clock.instant(), ids), Trigger.MANUAL, null, validated);
    start.start(organization, run);
    return RunReport.of(run, List.of(), false);
  }

  /** The newest {@code top} runs, newest first. */
  public List<RunReport> newest(String organizationId, int top) {
    if (top < 1 || top > MAX_TOP) {
      throw ValidationException.of("top", "must be between 1 and " + MAX_TOP);
    }
    organizations.get(organizationId);
    // an ended run says how it ended; only those still running are counted from their results
    return records.newest(organizationId, top).stream()
        .map(run -> run.ended() != null ? RunReport.ended(run) : RunReport.of(run, records.results(run.id()), false))
        .toList();
  }

  /** One run with its per-repository results. */
  public RunReport get(String organizationId, String runId) {
    organizations.get(organizationId);
    Run run = (RunIds.isValid(runId) ? records.find(organizationId, runId) : Optional.<Run>empty())
        .orElseThrow(() -> new NotFoundException("run", runId));
    return RunReport.of(run, records.results(run.id()), true);
  }
}
