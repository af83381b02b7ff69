package dev.bunker.core.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Snapshot ids: {@code yyyyMMdd'T'HHmmss'Z'-<run short>}, the run's start time in UTC. They sort by
 * time, and are the same for every repository of a run, so a redelivered backup message names the
 * snapshot it already made.
 */
public final class SnapshotIds {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");

  private SnapshotIds() {}

  public static String forRun(String runId) {
    return FORMAT.format(RunIds.startedAt(runId)) + "-" + RunIds.shortOf(runId);
  }

  /** When the run of a (valid) snapshot id started. */
  public static Instant takenAt(String snapshotId) {
    return FORMAT.parse(snapshotId.substring(0, snapshotId.indexOf('-')), Instant::from);
  }

  public static boolean isValid(String snapshotId) {
    return snapshotId != null && SHAPE.matcher(snapshotId).matches();
  }
}
