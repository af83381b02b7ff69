package dev.bunker.core;

import java.util.List;

/**
 * What a verification of one snapshot's objects found in storage.
 *
 * @param objects objects read and re-hashed
 * @param damagedPacks where the damaged objects are (blob names); empty when intact or unknown
 * @param damage null when every object was there and hashed to its id; else what is wrong
 */
public record SnapshotCheck(long objects, List<String> damagedPacks, String damage) {
  public SnapshotCheck {
    damagedPacks = List.copyOf(damagedPacks);
  }

  public boolean intact() {
    return damage == null;
  }
}
