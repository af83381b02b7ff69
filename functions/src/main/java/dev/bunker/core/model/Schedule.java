package dev.bunker.core.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.IntStream;

/**
 * When backups run: at the given hours of the day in {@code timeZone}, or every {@code everyHours}
 * hours counted from local midnight (so {@code everyHours: 6} is 00, 06, 12 and 18 local time).
 * Exactly one of {@code hours} and {@code everyHours} is set. The time zone also decides what a
 * "day" is for retention.
 */
public record Schedule(List<Integer> hours, Integer everyHours, String timeZone) {
  public static final Schedule DEFAULT = new Schedule(List.of(1), null, "UTC");

  public Schedule {
    hours = hours == null ? null : List.copyOf(hours);
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  /**
   * The first slot strictly after {@code now}. A slot in a daylight-saving gap moves forward by the
   * gap; an hour that occurs twice runs once, at its first occurrence.
   */
  public Instant nextSlotAfter(Instant now) {
    ZoneId zone = zone();
    LocalDate today = LocalDate.ofInstant(now, zone);
    Instant best = null;
    for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(2)); day = day.plusDays(1)) {
      for (int hour : slotHours()) {
        Instant slot = ZonedDateTime.ofLocal(LocalDateTime.of(day, LocalTime.of(hour, 0)), zone, null).toInstant();
        if (slot.isAfter(now) && (best == null || slot.isBefore(best))) {
          best = slot;
        }
      }
    }
    return best;
  }

  private List<Integer> slotHours() {
    if (everyHours != null) {
      return IntStream.iterate(0, hour -> hour < 24, hour -> hour + everyHours).boxed().toList();
    }
    return hours;
  }
}
