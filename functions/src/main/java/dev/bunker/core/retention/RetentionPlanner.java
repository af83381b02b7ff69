package dev.bunker.core.retention;

import dev.bunker.core.model.Retention;
import dev.bunker.core.model.Snapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides which snapshots of one repository to keep, with restic's {@code forget} rules: walking
 * from newest to oldest, {@code keepLast} keeps the newest n, and {@code keepDaily} (weekly,
 * monthly, yearly) keeps the newest snapshot of each of the n most recent days (ISO weeks, months,
 * years) that have one, counted in the policy's time zone. A snapshot is kept if any rule keeps
 * it, and the newest snapshot is always kept.
 */
public final class RetentionPlanner {
  /** The outcome: both lists newest first. */
  public record Plan<T>(List<T> keep, List<T> forget) {}

  private RetentionPlanner() {}

  public static Plan<Snapshot> plan(List<Snapshot> snapshots, Retention retention, ZoneId zone) {
    return plan(snapshots, Snapshot::takenAt, Snapshot::id, retention, zone);
  }

  /** As {@link #plan(List, Retention, ZoneId)}, for anything taken at a time and named by an id. */
  public static <T> Plan<T> plan(List<T> snapshots, Function<T, Instant> takenAt, Function<T, String> id,
      Retention retention, ZoneId zone) {
    List<T> newestFirst = new ArrayList<>(snapshots);
    newestFirst.sort(Comparator.comparing(takenAt).thenComparing(id).reversed());
    List<Rule> rules = List.of(
        new Rule(retention.keepLast(), date -> null),
        new Rule(retention.keepDaily(), date -> date),
        new Rule(retention.keepWeekly(),
            date -> date.get(IsoFields.WEEK_BASED_YEAR) * 100 + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        new Rule(retention.keepMonthly(), date -> date.getYear() * 100 + date.getMonthValue()),
        new Rule(retention.keepYearly(), LocalDate::getYear));
    List<T> keep = new ArrayList<>();
    List<T> forget = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      T snapshot = newestFirst.get(i);
      LocalDate date = LocalDate.ofInstant(takenAt.apply(snapshot), zone);
      boolean kept = i == 0;
      for (Rule rule : rules) {
        kept |= rule.keeps(date, i);
      }
      (kept ? keep : forget).add(snapshot);
    }
    return new Plan<>(keep, forget);
  }

  /** One keep rule: keeps a snapshot when its period differs from the last one this rule kept. */
  private static final class Rule {
    private final Function<LocalDate, Object> period;
    private int remaining;
    private Object last;
    private boolean keptAny;

    Rule(int count, Function<LocalDate, Object> period) {
      this.remaining = count;
      this.period = period;
    }

    boolean keeps(LocalDate date, int index) {
      if (remaining <= 0) {
        return false;
      }
      // keepLast has no period: every snapshot is its own
      Object key = period.apply(date);
      Object bucket = key == null ? index : key;
      if (keptAny && Objects.equals(bucket, last)) {
        return false;
      }
      keptAny = true;
      last = bucket;
      remaining--;
      return true;
    }
  }
}
