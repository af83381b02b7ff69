package dev.bunker.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What {@link BackupRepository#verify} found: every object it read from storage, re-hashed, and
 * the ones that were missing or did not hash to their id.
 *
 * @param snapshot the snapshot checked
 * @param since the snapshot whose objects were left out (checked before), if any
 * @param objects objects read and re-hashed
 * @param bytes their content, in bytes
 * @param damaged objects found missing, unreadable or not hashing to their id
 * @param damage the first {@link #LISTED} of them (or why the walk could not go on)
 */
public record Verification(SnapshotId snapshot, Optional<SnapshotId> since, long objects,
    long bytes, long damaged, List<Damage> damage) {

  /** How many damaged objects a verification describes one by one; the rest are counted. */
  public static final int LISTED = 10;

  public Verification {
    damage = List.copyOf(damage);
  }

  /**
   * One damaged object.
   *
   * @param objectId the object, or null when the walk could not tell which object failed
   * @param packs blob names of the packs that hold it (or that the failure names)
   * @param reason what is wrong with it
   */
  public record Damage(String objectId, Set<String> packs, String reason) {
    public Damage {
      packs = Set.copyOf(new TreeSet<>(packs));
    }
  }

  public boolean intact() {
    return damaged == 0;
  }

  /** Blob names of every pack a listed damage names, sorted. */
  public Set<String> damagedPacks() {
    return damage.stream().flatMap(d -> d.packs().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** One line for logs and records: the packs, then the damaged objects; empty when intact. */
  public Optional<String> problem() {
    if (intact()) {
      return Optional.empty();
    }
    Set<String> packs = damagedPacks();
    String where = packs.isEmpty() ? "in no pack" : "in pack(s) " + String.join(", ", packs);
    return Optional.of(damaged + " damaged object(s) " + where + ": "
        + damage.stream().map(d -> (d.objectId() == null ? "" : d.objectId() + ": ") + d.reason())
            .collect(Collectors.joining("; "))
        + (damaged > damage.size() ? "; and " + (damaged - damage.size()) + " more" : ""));
  }
}
