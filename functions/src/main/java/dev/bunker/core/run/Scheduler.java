package dev.bunker.core.run;

import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunIds;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.port.RunRecords;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts scheduled runs. Each organization carries its next slot; a timer tick that finds the slot
 * due claims it by moving it to the first slot after now, with a write conditional on the version
 * it read. Only the tick whose write wins starts the run ({@link RunStart}: the known repositories'
 * backups, then the discovery), so overlapping ticks start one run per slot, and slots missed while
 * the app was down run once. The run id is derived from the slot, so even a start or discovery
 * repeated makes one run. Each tick also tops up recent runs to their concurrency.
 */
public final class Scheduler {
  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

  /** How many of an organization's newest runs a tick tops up (older ones are long finished). */
  private static final int RUNS_TOPPED_UP = 3;

  private final OrganizationRecords organizations;
  private final RunRecords runs;
  private final BackupDispatcher dispatcher;
  private final RunStart start;
  private final Clock clock;

  public Scheduler(OrganizationRecords organizations, RunRecords runs, BackupDispatcher dispatcher, RunStart start,
      Clock clock) {
    this.organizations = organizations;
    this.runs = runs;
    this.dispatcher = dispatcher;
    this.start = start;
    this.clock = clock;
  }

  /** Starts a run for every organization whose slot is due; returns how many. */
  public int tick() {
    Instant now = clock.instant();
    int started = 0;
    for (Versioned<Organization> candidate : organizations.list()) {
      Organization organization = candidate.value();
      if (!organization.isActive()) {
        continue;
      }
      try {
        if (organization.nextSlot() == null) {
          // a slot lost to a bug or a manual edit: schedule from now rather than never
          organizations.replace(organization.withNextSlot(organization.policy().schedule().nextSlotAfter(now), now),
              candidate.version());
        } else if (!organization.nextSlot().isAfter(now) && start(candidate, now)) {
          started++;
        }
        topUp(organization);
      } catch (StaleVersionException e) {
        LOG.fine(() -> "organization " + organization.id() + " changed while scheduling; the other writer wins");
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "organization " + organization.id() + ": scheduling failed", e);
      }
    }
    return started;
  }

  /**
   * Re-fills runs whose chain of backups broke: a worker died between finishing one and sending the
   * next, or a claimed backup's message never went out (sent again once its claim timed out).
   */
  private void topUp(Organization organization) {
    for (Run run : runs.newest(organization.id(), RUNS_TOPPED_UP)) {
      if (run.discoveredAt() != null && run.error() == null) {
        dispatcher.fill(run.organizationId(), run.id(), organization.policy().concurrency());
      }
    }
  }

  /**
   * Claims the due slot by moving it on, then starts its run; when the start fails (its discovery
   * was not enqueued) the claim is given back so that the next tick tries again.
   */
  private boolean start(Versioned<Organization> candidate, Instant now) {
    Organization organization = candidate.value();
    Instant slot = organization.nextSlot();
    Versioned<Organization> claimed;
    try {
      claimed = organizations.replace(
          organization.withNextSlot(organization.policy().schedule().nextSlotAfter(now), now), candidate.version());
    } catch (StaleVersionException e) {
      LOG.fine(() -> "organization " + organization.id() + ": slot " + slot + " already claimed by another tick");
      return false;
    }
    String runId = RunIds.forSlot(organization.id(), slot);
    try {
      start.start(claimed.value(),
          Run.queued(organization.id(), runId, Trigger.SCHEDULE, slot, RunSelection.EVERYTHING));
    } catch (RuntimeException e) {
      try {
        organizations.replace(claimed.value().withNextSlot(slot, now), claimed.version());
      } catch (StaleVersionException changed) {
        LOG.warning(() -> "organization " + organization.id() + ": slot " + slot + " is lost: " + e.getMessage());
      }
      throw e;
    }
    LOG.info(() -> "organization " + organization.id() + ": run " + runId + " for slot " + slot);
    signalMissedRpo(organization, slot);
    return true;
  }

  /**
   * The recovery point objective is the schedule: by the time a slot comes, the previous scheduled
   * run should have backed up everything. Each repository or project it did not is signalled.
   */
  private void signalMissedRpo(Organization organization, Instant slot) {
    Optional<Run> previous = runs.newest(organization.id(), RUNS_TOPPED_UP).stream()
        .filter(run -> run.trigger() == Trigger.SCHEDULE && run.slot() != null && run.slot().isBefore(slot))
        .findFirst();
    if (previous.isEmpty()) {
      return;
    }
    Run run = previous.get();
    if (run.error() != null) {
      Signal.RPO_MISSED.emit(Map.of("organizationId", organization.id(), "runId", run.id()),
          "the run for slot " + run.slot() + " failed before backing anything up: " + run.error());
      return;
    }
    for (RepositoryResult result : runs.results(run.id())) {
      if (result.status() != ResultStatus.SUCCEEDED) {
        Signal.RPO_MISSED.emit(Map.of("organizationId", organization.id(), "runId", run.id(),
            "repositoryId", result.repositoryId()),
            result.project() + "/" + result.repository()
                + " was not backed up by the run for slot " + run.slot() + " (" + result.status().name().toLowerCase(
                    Locale.ROOT)
                + (result.error() == null ? "" : ": " + result.error()) + ")");
      }
    }
  }
}
