package dev.bunker.core.model;

import java.util.List;

/**
 * A policy as a user writes it: every field optional (missing means the default). {@link
 * Policy#from} validates it. This is also the stored form, so that a stored policy is read back
 * through the same rules.
 */
public record PolicyInput(
    ScheduleInput schedule,
    Boolean autoAddNewRepositories,
    PatternsInput include,
    PatternsInput exclude,
    Boolean includeWikis,
    RetentionInput retention,
    Integer concurrency,
    Boolean includeMetadata) {

  public record ScheduleInput(List<Integer> hours, Integer everyHours, String timeZone) {}

  public record PatternsInput(List<String> projects, List<String> repositories) {}

  public record RetentionInput(
      Integer keepLast, Integer keepDaily, Integer keepWeekly, Integer keepMonthly, Integer keepYearly) {}
}
