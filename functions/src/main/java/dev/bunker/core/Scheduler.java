package dev.bunker.core;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts scheduled runs. Each organization carries its next slot; a timer tick that finds the slot
 * due claims it by moving it to the first slot after now, with a write conditional on the version
 * it read. Only the tick whose write wins enqueues the discovery, so overlapping ticks start one
 * run per slot, and slots missed while the app was down run once.
 */
public final class Scheduler {
  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

  private final OrganizationRecords organizations;
  private final WorkQueue queue;
  private final Clock clock;
  private final RandomIds ids;

  public Scheduler(OrganizationRecords organizations, WorkQueue queue, Clock clock, RandomIds ids) {
    this.organizations = organizations;
    this.queue = queue;
    this.clock = clock;
    this.ids = ids;
  }

  /** Enqueues a discovery for every organization whose slot is due; returns how many. */
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
        } else if (!organization.nextSlot().isAfter(now) && claim(candidate, now)) {
          String runId = RunIds.next(now, ids);
          queue.enqueue(new WorkItem.Discover(organization.id(), runId, Trigger.SCHEDULE, organization.nextSlot()));
          LOG.info(() -> "organization " + organization.id() + ": run " + runId + " for slot " + organization.nextSlot());
          started++;
        }
      } catch (StaleVersionException e) {
        LOG.fine(() -> "organization " + organization.id() + " changed while scheduling; the other writer wins");
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "organization " + organization.id() + ": scheduling failed", e);
      }
    }
    return started;
  }

  private boolean claim(Versioned<Organization> candidate, Instant now) {
    Organization organization = candidate.value();
    Instant next = organization.policy().schedule().nextSlotAfter(now);
    try {
      organizations.replace(organization.withNextSlot(next, now), candidate.version());
      return true;
    } catch (StaleVersionException e) {
      LOG.fine(() -> "organization " + organization.id() + ": slot already claimed by another tick");
      return false;
    }
  }
}
