package dev.bunker.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.model.Retention;
import dev.bunker.core.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static Snapshot at(String instant) {
    Instant when = Instant.parse(instant);
    return new Snapshot("org", "repo", instant, "run", when, 1, null, 0, null, null);
  }

  /** One snapshot a day at 01:00Z for {@code days} days ending 2026-06-30. */
  private static List<Snapshot> daily(int days) {
    List<Snapshot> snapshots = new ArrayList<>();
    Instant last = Instant.parse("2026-06-30T01:00:00Z");
    for (int i = days - 1; i >= 0; i--) {
      snapshots.add(at(last.minus(Duration.ofDays(i)).toString()));
    }
    return snapshots;
  }

  private static List<String> kept(List<Snapshot> snapshots, Retention retention, ZoneId zone) {
    return RetentionPlanner.plan(snapshots, retention, zone).keep().stream().map(Snapshot::id).toList();
  }

  @Test
  void keepLastKeepsTheNewestN() {
    assertThat(kept(daily(5), new Retention(2, 0, 0, 0, 0), UTC))
        .containsExactly("2026-06-30T01:00:00Z", "2026-06-29T01:00:00Z");
  }

  @Test
  void theNewestIsKeptEvenWhenEveryRuleIsZero() {
    assertThat(kept(daily(5), new Retention(0, 0, 0, 0, 0), UTC)).containsExactly("2026-06-30T01:00:00Z");
  }

  @Test
  void keepDailyKeepsTheNewestSnapshotOfEachDay() {
    List<Snapshot> snapshots = List.of(
        at("2026-06-30T13:00:00Z"), at("2026-06-30T01:00:00Z"),
        at("2026-06-29T13:00:00Z"), at("2026-06-29T01:00:00Z"),
        at("2026-06-28T13:00:00Z"));
    RetentionPlanner.Plan<Snapshot> plan = RetentionPlanner.plan(snapshots, new Retention(0, 2, 0, 0, 0), UTC);
    assertThat(plan.keep()).extracting(Snapshot::id).containsExactly("2026-06-30T13:00:00Z", "2026-06-29T13:00:00Z");
    assertThat(plan.forget()).extracting(Snapshot::id)
        .containsExactly("2026-06-30T01:00:00Z", "2026-06-29T01:00:00Z", "2026-06-28T13:00:00Z");
  }

  @Test
  void daysAreCountedInThePolicysTimeZone() {
    // 23:30Z on the 29th is already the 30th in Warsaw, so it shares a day with 10:00Z on the 30th
    List<Snapshot> snapshots =
        List.of(at("2026-06-30T10:00:00Z"), at("2026-06-29T23:30:00Z"), at("2026-06-29T10:00:00Z"));
    assertThat(kept(snapshots, new Retention(0, 3, 0, 0, 0), ZoneId.of("Europe/Warsaw")))
        .containsExactly("2026-06-30T10:00:00Z", "2026-06-29T10:00:00Z");
    assertThat(kept(snapshots, new Retention(0, 3, 0, 0, 0), UTC))
        .containsExactly("2026-06-30T10:00:00Z", "2026-06-29T23:30:00Z");
  }

  @Test
  void keepWeeklyUsesIsoWeeks() {
    // 2026-06-28 is a Sunday, 2026-06-29 a Monday: different ISO weeks
    List<Snapshot> snapshots = List.of(at("2026-06-30T01:00:00Z"), at("2026-06-29T01:00:00Z"),
        at("2026-06-28T01:00:00Z"), at("2026-06-22T01:00:00Z"), at("2026-06-21T01:00:00Z"));
    assertThat(kept(snapshots, new Retention(0, 0, 2, 0, 0), UTC))
        .containsExactly("2026-06-30T01:00:00Z", "2026-06-28T01:00:00Z");
  }

  @Test
  void keepMonthlyAndYearlyKeepTheNewestOfEachPeriod() {
    List<Snapshot> snapshots = List.of(at("2026-06-30T01:00:00Z"), at("2026-06-01T01:00:00Z"),
        at("2026-05-31T01:00:00Z"), at("2025-12-31T01:00:00Z"), at("2025-01-01T01:00:00Z"), at("2024-07-01T01:00:00Z"));
    assertThat(kept(snapshots, new Retention(0, 0, 0, 2, 0), UTC))
        .containsExactly("2026-06-30T01:00:00Z", "2026-05-31T01:00:00Z");
    assertThat(kept(snapshots, new Retention(0, 0, 0, 0, 2), UTC))
        .containsExactly("2026-06-30T01:00:00Z", "2025-12-31T01:00:00Z");
  }

  @Test
  void aSnapshotKeptByAnyRuleIsKept() {
    List<Snapshot> snapshots = daily(60);
    RetentionPlanner.Plan<Snapshot> plan = RetentionPlanner.plan(snapshots, new Retention(3, 7, 4, 2, 1), UTC);
    // daily keeps 24-30 June (covering the last 3); weekly adds the Sundays 21 and 14 June (28 June
    // is already kept); monthly adds 31 May; yearly adds nothing new
    assertThat(plan.keep()).extracting(Snapshot::id).containsExactly(
        "2026-06-30T01:00:00Z", "2026-06-29T01:00:00Z", "2026-06-28T01:00:00Z", "2026-06-27T01:00:00Z",
        "2026-06-26T01:00:00Z", "2026-06-25T01:00:00Z", "2026-06-24T01:00:00Z", "2026-06-21T01:00:00Z",
        "2026-06-14T01:00:00Z", "2026-05-31T01:00:00Z");
    assertThat(plan.forget()).hasSize(50);
  }

  @Test
  void inputOrderDoesNotMatter() {
    List<Snapshot> snapshots = new ArrayList<>(daily(10));
    List<String> expected = kept(snapshots, new Retention(2, 0, 0, 0, 0), UTC);
    java.util.Collections.reverse(snapshots);
    assertThat(kept(snapshots, new Retention(2, 0, 0, 0, 0), UTC)).isEqualTo(expected);
  }

  @Test
  void noSnapshotsMeansNothingToDo() {
    RetentionPlanner.Plan<Snapshot> plan = RetentionPlanner.plan(List.of(), Retention.DEFAULT, UTC);
    assertThat(plan.keep()).isEmpty();
    assertThat(plan.forget()).isEmpty();
  }
}
