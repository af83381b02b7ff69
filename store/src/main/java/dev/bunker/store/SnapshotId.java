package dev.bunker.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names a snapshot: {@code yyyyMMdd'T'HHmmss.SSS'Z'-<run>}, e.g.
 * {@code 20260125T010000.250Z-3f9a1c2e}. Ids sort by the time they name, so listing refs or
 * manifest entries in name order lists snapshots oldest first. The run part keeps two runs of the
 * same millisecond apart and makes a retried backup of the same run land on the same id
 * (idempotence). Ids of the form {@code yyyyMMdd'T'HHmmss'Z'-<run>}, to the second, which earlier
 * versions made, stay valid; within one second they sort after the millisecond form.
 */
public record SnapshotId(String value) implements Comparable<SnapshotId> {
  /** Where the refs of every snapshot live, each under {@link #refPrefix()}. */
  static final String REFS = "refs/snapshots/";
  private static final Pattern FORMAT =
      Pattern.compile("[0-9]{8}T[0-9]{6}(\\.[0-9]{3})?Z-[A-Za-z0-9]{1,32}");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** Reads both forms: with milliseconds, and the second-only form of earlier ids. */
  private static final DateTimeFormatter READ =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss[.SSS]'Z'").withZone(ZoneOffset.UTC);

  public SnapshotId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("snapshot id must look like 20260125T010000.250Z-<run id>"
          + " (run id: 1 to 32 letters or digits), got " + value);
    }
  }

  /**
   * The id of a snapshot taken at {@code time} by run {@code runId}: its letters and digits, up
   * to 32 (a UUID without dashes fits). Not shortened further on purpose: run ids that start with
   * their time (ULIDs) share their first characters within a second, and two runs must never get
   * the same snapshot id (the second would be taken for a retry of the first).
   */
  public static SnapshotId of(Instant time, String runId) {
    String run = runId.replaceAll("[^A-Za-z0-9]", "");
    if (run.isEmpty() || run.length() > 32) {
      throw new IllegalArgumentException("run id must have 1 to 32 letters or digits, got "
          + runId);
    }
    return new SnapshotId(TIME.format(time.truncatedTo(ChronoUnit.MILLIS)) + "-" + run);
  }

  public static SnapshotId parse(String value) {
    return new SnapshotId(value);
  }

  /** The time in the id (to the millisecond; to the second in ids of the earlier form). */
  public Instant time() {
    return READ.parse(value.substring(0, value.indexOf('-')), Instant::from);
  }

  /**
   * The same run's id in the second-only form ({@code 20260125T010000Z-<run>} for
   * {@code 20260125T010000.250Z-<run>}), which versions before the millisecond form made; empty
   * for an id of that form. A backup retried across the upgrade finds its snapshot under it.
   */
  Optional<SnapshotId> secondForm() {
    int dot = value.indexOf('.');
    return dot < 0 ? Optional.empty()
        : Optional.of(new SnapshotId(value.substring(0, dot) + value.substring(value.indexOf('Z'))));
  }

  /** Where this snapshot's refs live: {@code refs/snapshots/<id>/}. */
  String refPrefix() {
    return REFS + value + "/";
  }

  @Override
  public int compareTo(SnapshotId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
