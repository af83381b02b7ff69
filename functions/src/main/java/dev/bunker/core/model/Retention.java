package dev.bunker.core.model;

import dev.bunker.core.retention.RetentionPlanner;

/** How many snapshots each restic-style rule keeps; see {@link RetentionPlanner}. */
public record Retention(int keepLast, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly) {
  public static final Retention DEFAULT = new Retention(7, 30, 12, 12, 3);
}
