package dev.bunker.core.model;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.model.PolicyInput.ScheduleInput;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static Schedule hours(String zone, Integer... hours) {
    return Policy.from(aPolicy().atHours(zone, hours).build())
        .schedule();
  }

  private static Schedule every(int hours, String zone) {
    return Policy.from(aPolicy().schedule(new ScheduleInput(null, hours, zone)).build())
        .schedule();
  }

  @Test
  void oneSecondBeforeTheHourInWarsawTheSlotIsThatHour() {
    // 01:59:59 in Warsaw (UTC+1 in winter) is 00:59:59Z
    Instant next = hours("Europe/Warsaw", 2).nextSlotAfter(Instant.parse("2026-01-15T00:59:59Z"));
    assertThat(next).isEqualTo(Instant.parse("2026-01-15T01:00:00Z"));
  }

  @Test
  void exactlyAtTheSlotTheNextSlotIsTomorrow() {
    Instant next = hours("Europe/Warsaw", 2).nextSlotAfter(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(next).isEqualTo(Instant.parse("2026-01-16T01:00:00Z"));
  }

  @Test
  void anHourSkippedBySpringForwardRunsOnceRightAfterTheGap() {
    // 2026-03-29: Warsaw jumps from 02:00 to 03:00 (01:00Z)
    Schedule schedule = hours("Europe/Warsaw", 2);
    Instant next = schedule.nextSlotAfter(Instant.parse("2026-03-28T23:00:00Z"));
    assertThat(next).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(schedule.nextSlotAfter(next)).isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
  }

  @Test
  void anHourRepeatedByFallBackRunsOnce() {
    // 2026-10-25: Warsaw goes from 03:00 back to 02:00; 02:00 local happens at 00:00Z and 01:00Z
    Schedule schedule = hours("Europe/Warsaw", 2);
    Instant first = schedule.nextSlotAfter(Instant.parse("2026-10-24T23:30:00Z"));
    assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
    assertThat(schedule.nextSlotAfter(first)).isEqualTo(Instant.parse("2026-10-26T01:00:00Z"));
  }

  @Test
  void severalHoursRunInOrder() {
    Schedule schedule = hours("UTC", 13, 1);
    Instant first = schedule.nextSlotAfter(Instant.parse("2026-05-01T05:00:00Z"));
    assertThat(first).isEqualTo(Instant.parse("2026-05-01T13:00:00Z"));
    assertThat(schedule.nextSlotAfter(first)).isEqualTo(Instant.parse("2026-05-02T01:00:00Z"));
  }

  @Test
  void everyHoursCountsFromLocalMidnight() {
    Schedule schedule = every(6, "America/New_York");
    // 07:30 in New York (UTC-4 in May) → next is 12:00 local = 16:00Z
    assertThat(schedule.nextSlotAfter(Instant.parse("2026-05-01T11:30:00Z")))
        .isEqualTo(Instant.parse("2026-05-01T16:00:00Z"));
  }

  @Test
  void everyHoursThatDoNotDivideTheDayRestartAtMidnight() {
    Schedule schedule = every(5, "UTC");
    assertThat(schedule.nextSlotAfter(Instant.parse("2026-05-01T20:00:00Z")))
        .isEqualTo(Instant.parse("2026-05-02T00:00:00Z"));
  }

  @Test
  void everyTwentyFourHoursIsMidnight() {
    assertThat(every(24, "UTC").nextSlotAfter(Instant.parse("2026-05-01T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-05-02T00:00:00Z"));
  }

  @Test
  void theDefaultIsOneInTheMorningUtc() {
    assertThat(Policy.defaults().schedule().nextSlotAfter(Instant.parse("2026-05-01T01:00:01Z")))
        .isEqualTo(Instant.parse("2026-05-02T01:00:00Z"));
  }
}
