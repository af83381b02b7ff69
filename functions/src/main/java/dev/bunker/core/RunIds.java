package dev.bunker.core;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Run ids: {@code <inverted start millis, 13 digits>-<8 hex>}. As Table row keys they sort newest
 * first, so "the last N runs" is one range read; the hex part is the run's short name.
 */
public final class RunIds {
  /** 13 nines: inverted times stay 13 digits wide until the year 2286. */
  private static final long INVERSION_BASE = 9_999_999_999_999L;
  private static final Pattern SHAPE = Pattern.compile("\\d{13}-[0-9a-f]{8}");

  private RunIds() {}

  public static String next(Instant startedAt, RandomIds random) {
    return String.format("%013d-%s", INVERSION_BASE - startedAt.toEpochMilli(), random.hex(8));
  }

  public static boolean isValid(String runId) {
    return runId != null && SHAPE.matcher(runId).matches();
  }

  public static Instant startedAt(String runId) {
    requireValid(runId);
    return Instant.ofEpochMilli(INVERSION_BASE - Long.parseLong(runId.substring(0, 13)));
  }

  /** The random part, used in snapshot ids. */
  public static String shortOf(String runId) {
    requireValid(runId);
    return runId.substring(14);
  }

  private static void requireValid(String runId) {
    if (!isValid(runId)) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
  }
}
