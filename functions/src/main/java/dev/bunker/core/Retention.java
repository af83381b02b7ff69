package dev.bunker.core;

/** How many snapshots each restic-style rule keeps; see {@link RetentionPlanner}. */
public record Retention(int keepLast, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly) {
  public static final Retention DEFAULT = new Retention(7, 30, 12, 12, 3);
}
