package dev.bunker.core;

import java.util.Optional;

/**
 * Keeps metadata garbage collection of an organization apart from its metadata backups: a backup
 * counts on objects that exist already, referenced or not, so the collector must not delete while
 * one writes. Backups of different projects run side by side (one lease per project); the
 * collector takes its own lease and then checks that no backup holds one, and a backup takes its
 * lease and then checks that the collector holds none. Whichever comes second sees the first and
 * steps back (both may, never neither).
 */
final class MetadataLocks {
  private final Leases leases;

  MetadataLocks(Leases leases) {
    this.leases = leases;
  }

  /** The right to back up {@code projectId}'s metadata; empty while it is backed up elsewhere or collected. */
  Optional<Leases.Held> writer(String organizationId, String projectId) {
    return exclusive(prefix(organizationId) + "writer-" + projectId, prefix(organizationId) + "collector");
  }

  /** The right to collect the organization's metadata garbage; empty while any of its backups runs. */
  Optional<Leases.Held> collector(String organizationId) {
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

  private static String prefix(String organizationId) {
    return "orgs/" + organizationId + "/meta/locks/";
  }
}
