package dev.bunker.core.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Snapshot ids: {@code yyyyMMdd'T'HHmmss.SSS'Z'-<run short>}, the run's start time in UTC to the
 * millisecond, as its run id holds it. They sort by time, and are the same for every repository of
 * a run, so a redelivered backup message names the snapshot it already made (one retried after
 * an upgrade finds it under the earlier form: {@code SnapshotId.secondForm} in the store).
 * Versions before this one named the second only ({@code yyyyMMdd'T'HHmmss'Z'-…}); those ids stay
 * valid. Two runs started in one second were then in no defined order (their random part decided),
 * which the milliseconds settle; within one second an id of the earlier form sorts after one of
 * this form, whatever the milliseconds (design §2.4).
 */
public final class SnapshotIds {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** Reads both forms: with milliseconds, and the second-only form of earlier ids. */
  private static final DateTimeFormatter READ =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss[.SSS]'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}(\\.\\d{3})?Z-[0-9a-f]{8}");

  private SnapshotIds() {}

  public static String forRun(String runId) {
    return FORMAT.format(RunIds.startedAt(runId)) + "-" + RunIds.shortOf(runId);
  }

  /** When the run of a (valid) snapshot id started. */
  public static Instant takenAt(String snapshotId) {
    return READ.parse(snapshotId.substring(0, snapshotId.indexOf('-')), Instant::from);
  }

  public static boolean isValid(String snapshotId) {
    return snapshotId != null && SHAPE.matcher(snapshotId).matches();
  }
}
