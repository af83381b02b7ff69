package dev.bunker.core.model;

import dev.bunker.hash.Sha256;
import java.time.Instant;
import java.util.HexFormat;
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

  /**
   * The id of the scheduled run of {@code organizationId} for {@code slot}: the same for every
   * scheduler tick that starts it, so a repeated start is the same run.
   */
  public static String forSlot(String organizationId, Instant slot) {
    byte[] digest = Sha256.of(organizationId + "@" + slot);
    return String.format("%013d-%s", INVERSION_BASE - slot.toEpochMilli(), HexFormat.of().formatHex(digest, 0, 4));
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
