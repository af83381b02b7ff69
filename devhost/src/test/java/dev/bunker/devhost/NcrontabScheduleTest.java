package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class NcrontabScheduleTest {
  private static final ZonedDateTime MONDAY_NOON = ZonedDateTime.of(2026, 11, 23, 12, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void readsSecondsFirst() {
    NcrontabSchedule everyFiveMinutes = NcrontabSchedule.parse("0 */5 * * * *");

    assertThat(everyFiveMinutes.next(MONDAY_NOON.plusSeconds(1))).isEqualTo(MONDAY_NOON.plusMinutes(5));
    assertThat(NcrontabSchedule.parse("*/2 * * * * *").next(MONDAY_NOON)).isEqualTo(MONDAY_NOON.plusSeconds(2));
  }

  @Test
  void countsDaysOfWeekFromSundayAsZero() {
    NcrontabSchedule sundaysAtOne = NcrontabSchedule.parse("0 0 1 * * 0");

    assertThat(sundaysAtOne.next(MONDAY_NOON)).isEqualTo(ZonedDateTime.of(2026, 11, 29, 1, 0, 0, 0, ZoneOffset.UTC));
    assertThat(NcrontabSchedule.parse("0 30 9 * * 1-5").next(MONDAY_NOON))
        .isEqualTo(ZonedDateTime.of(2026, 11, 24, 9, 30, 0, 0, ZoneOffset.UTC));
  }

  @Test
  void refusesFiveFieldCron() {
    assertThatThrownBy(() -> NcrontabSchedule.parse("*/5 * * * *")).isInstanceOf(HostConfigurationException.class)
        .hasMessageContaining("six-field");
  }
}
