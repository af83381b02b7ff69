package dev.bunker.core.model;

/**
 * What a verification of one snapshot's objects found in storage.
 *
 * @param objects objects read and re-hashed
 * @param damage null when every object was there and hashed to its id; else what is wrong and in which packs
 */
public record SnapshotCheck(long objects, String damage) {
  public boolean intact() {
    return damage == null;
  }
}
