package dev.bunker.core.model;

import dev.bunker.core.model.PolicyInput.PatternsInput;
import dev.bunker.core.model.PolicyInput.RetentionInput;
import dev.bunker.core.model.PolicyInput.ScheduleInput;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What an organization backs up, when, how long snapshots are kept, and how many repositories at
 * once. {@code includeMetadata}: each selected project's pull requests, work items and pipelines
 * are backed up with its repositories (one more unit of the run's concurrency per project).
 */
public record Policy(
    Schedule schedule,
    boolean autoAddNewRepositories,
    Patterns include,
    Patterns exclude,
    boolean includeWikis,
    Retention retention,
    int concurrency,
    boolean includeMetadata) {

  public static final int MIN_CONCURRENCY = 1;
  public static final int MAX_CONCURRENCY = 32;
  public static final int MAX_KEEP = 100_000;
  public static final int MAX_PATTERNS = 100;
  public static final int MAX_PATTERN_LENGTH = 256;

  public static Policy defaults() {
    return new Policy(Schedule.DEFAULT, true, Patterns.ALL, Patterns.NONE, true, Retention.DEFAULT, 4, true);
  }

  /** The validated policy, with defaults for missing fields; a {@link ValidationException} lists every bad field. */
  public static Policy from(PolicyInput input) {
    Problems problems = new Problems();
    Policy policy = from(input, "", problems);
    problems.throwIfAny();
    return policy;
  }

  /** Validates {@code input} into {@code problems}, naming fields under {@code prefix} (e.g. {@code "policy."}). */
  public static Policy from(PolicyInput input, String prefix, Problems problems) {
    Policy defaults = defaults();
    if (input == null) {
      return defaults;
    }
    Schedule schedule = schedule(input.schedule(), prefix + "schedule", problems);
    Patterns include = patterns(input.include(), defaults.include(), prefix + "include", false, problems);
    Patterns exclude = patterns(input.exclude(), defaults.exclude(), prefix + "exclude", true, problems);
    Retention retention = retention(input.retention(), prefix + "retention", problems);
    int concurrency = orDefault(input.concurrency(), defaults.concurrency());
    if (concurrency < MIN_CONCURRENCY || concurrency > MAX_CONCURRENCY) {
      problems.add(prefix + "concurrency", "must be between " + MIN_CONCURRENCY + " and " + MAX_CONCURRENCY);
    }
    return new Policy(
        schedule,
        orDefault(input.autoAddNewRepositories(), defaults.autoAddNewRepositories()),
        include,
        exclude,
        orDefault(input.includeWikis(), defaults.includeWikis()),
        retention,
        concurrency,
        orDefault(input.includeMetadata(), defaults.includeMetadata()));
  }

  /** Whether this policy backs up {@code repository} (wikis, include and exclude patterns). */
  public boolean selects(String project, String repository, RepositoryKind kind) {
    if (kind == RepositoryKind.WIKI && !includeWikis) {
      return false;
    }
    return include.matchesProject(project)
        && include.matchesRepository(project, repository)
        && !exclude.matchesProject(project)
        && !exclude.matchesRepository(project, repository);
  }

  /** Whether this policy backs up the metadata of {@code project} (include and exclude project patterns). */
  public boolean selectsMetadataOf(String project) {
    return includeMetadata && include.matchesProject(project) && !exclude.matchesProject(project);
  }

  public ZoneId zone() {
    return schedule.zone();
  }

  private static Schedule schedule(ScheduleInput input, String field, Problems problems) {
    if (input == null) {
      return Schedule.DEFAULT;
    }
    String timeZone = input.timeZone() == null ? "UTC" : input.timeZone();
    if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
      problems.add(field + ".timeZone", "must be an IANA time zone name such as UTC or Europe/Warsaw");
    }
    if (input.hours() != null && input.everyHours() != null) {
      problems.add(field, "give either hours or everyHours, not both");
      return Schedule.DEFAULT;
    }
    if (input.everyHours() != null) {
      if (input.everyHours() < 1 || input.everyHours() > 24) {
        problems.add(field + ".everyHours", "must be between 1 and 24");
      }
      return new Schedule(null, input.everyHours(), timeZone);
    }
    if (input.hours() == null) {
      return new Schedule(Schedule.DEFAULT.hours(), null, timeZone);
    }
    if (input.hours().isEmpty()) {
      problems.add(field + ".hours", "must name at least one hour of the day (0-23)");
    }
    TreeSet<Integer> hours = new TreeSet<>();
    for (int i = 0; i < input.hours().size(); i++) {
      Integer hour = input.hours().get(i);
      if (hour == null || hour < 0 || hour > 23) {
        problems.add(field + ".hours[" + i + "]", "must be an hour of the day between 0 and 23");
      } else {
        hours.add(hour);
      }
    }
    return new Schedule(new ArrayList<>(hours), null, timeZone);
  }

  private static Patterns patterns(
      PatternsInput input, Patterns defaults, String field, boolean mayBeEmpty, Problems problems) {
    if (input == null) {
      return defaults;
    }
    return new Patterns(
        patternList(input.projects(), defaults.projects(), field + ".projects", mayBeEmpty, problems),
        patternList(input.repositories(), defaults.repositories(), field + ".repositories", mayBeEmpty, problems));
  }

  private static List<String> patternList(
      List<String> input, List<String> defaults, String field, boolean mayBeEmpty, Problems problems) {
    if (input == null) {
      return defaults;
    }
    if (input.isEmpty() && !mayBeEmpty) {
      problems.add(field, "must name at least one pattern (\"*\" matches everything)");
    }
    if (input.size() > MAX_PATTERNS) {
      problems.add(field, "must have at most " + MAX_PATTERNS + " patterns");
      return defaults;
    }
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      String pattern = input.get(i);
      String element = field + "[" + i + "]";
      if (pattern == null || pattern.isBlank()) {
        problems.add(element, "must not be empty");
      } else if (pattern.length() > MAX_PATTERN_LENGTH) {
        problems.add(element, "must be at most " + MAX_PATTERN_LENGTH + " characters");
      } else if (pattern.chars().anyMatch(Character::isISOControl)) {
        problems.add(element, "must not contain control characters");
      } else {
        patterns.add(pattern.strip());
      }
    }
    return patterns;
  }

  private static Retention retention(RetentionInput input, String field, Problems problems) {
    if (input == null) {
      return Retention.DEFAULT;
    }
    Retention defaults = Retention.DEFAULT;
    return new Retention(
        keep(input.keepLast(), defaults.keepLast(), field + ".keepLast", problems),
        keep(input.keepDaily(), defaults.keepDaily(), field + ".keepDaily", problems),
        keep(input.keepWeekly(), defaults.keepWeekly(), field + ".keepWeekly", problems),
        keep(input.keepMonthly(), defaults.keepMonthly(), field + ".keepMonthly", problems),
        keep(input.keepYearly(), defaults.keepYearly(), field + ".keepYearly", problems));
  }

  private static int keep(Integer value, int defaultValue, String field, Problems problems) {
    int keep = orDefault(value, defaultValue);
    if (keep < 0 || keep > MAX_KEEP) {
      problems.add(field, "must be between 0 and " + MAX_KEEP);
    }
    return keep;
  }

  private static <T> T orDefault(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }
}
