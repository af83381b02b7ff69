package dev.bunker.core.retention;

import dev.bunker.core.port.Leases;
import java.util.Optional;

/**
 * Keeps garbage collection of an organization's content-addressed objects (metadata, Git LFS)
 * apart from the backups that write them: a backup counts on objects that exist already,
 * referenced or not, so the collector must not delete while one writes. Backups of different
 * projects or repositories run side by side (one lease each); the collector takes its own lease
 * and then checks that no backup holds one, and a backup takes its lease and then checks that the
 * collector holds none. Whichever comes second sees the first and steps back (both may, never
 * neither).
 */
public final class CollectorLocks {
  private final Leases leases;
  private final String folder;

  /**
   * @param folder where the lock blobs of an organization live under {@code orgs/<id>/}, e.g.
   *     {@code meta/locks}; outside the objects it guards, which garbage collection lists
   */
  public CollectorLocks(Leases leases, String folder) {
    this.leases = leases;
    this.folder = folder;
  }

  /** The right to back up {@code writer} (a project, a repository); empty while it is backed up elsewhere or collected. */
  public Optional<Leases.Held> writer(String organizationId, String writer) {
    return exclusive(prefix(organizationId) + "writer-" + writer, prefix(organizationId) + "collector");
  }

  /** The right to collect the organization's garbage; empty while any of its backups runs. */
  public Optional<Leases.Held> collector(String organizationId) {
    return exclusive(prefix(organizationId) + "collector", prefix(organizationId) + "writer-");
  }

  private Optional<Leases.Held> exclusive(String name, String others) {
    Optional<Leases.Held> held = leases.take(name);
    if (held.isPresent() && leases.anyHeld(others)) {
      held.get().close();
      return Optional.empty();
    }
    return held;
  }

  private String prefix(String organizationId) {
    return "orgs/" + organizationId + "/" + folder + "/";
  }
}
