package dev.bunker.metadata;

/**
 * What a restore does with something the target project already holds under the same name (a
 * team, a query, a definition, a test plan…). A restore never overwrites: it leaves what is there.
 */
public enum OnConflict {
  /** Leave the target's as it is and restore nothing in its place (the report lists it). */
  SKIP,
  /** Restore it beside the target's, under the name with " (restored)" added. */
  RENAME
}
