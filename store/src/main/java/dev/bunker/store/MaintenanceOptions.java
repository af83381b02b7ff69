package dev.bunker.store;

import java.time.Duration;

/**
 * What {@link BackupRepository#maintain} does.
 *
 * @param gracePeriod how long dropped packs and orphaned blobs stay before deletion: a reader that
 *     loaded an older manifest (a long export) may still read them, and a writer may still be
 *     writing an orphan-looking pack
 * @param fullGc repack everything reachable into one pack with bitmaps; otherwise only compact
 * @param compactAtPacks compact small packs (and reftables) when at least this many are live
 * @param aggressive with a full GC, search deltas anew with a wide window (as
 *     {@code git gc --aggressive}): the smallest storage, but slow and CPU-heavy; otherwise deltas
 *     are reused as the source's server made them
 */
public record MaintenanceOptions(Duration gracePeriod, boolean fullGc, int compactAtPacks,
    boolean aggressive) {
  public MaintenanceOptions {
    if (gracePeriod == null || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("grace period must be zero or positive");
    }
    if (compactAtPacks < 2) {
      throw new IllegalArgumentException("compactAtPacks must be at least 2");
    }
  }

  /** Full GC reusing deltas, a day's grace, compaction from 8 packs. */
  public static MaintenanceOptions defaults() {
    return new MaintenanceOptions(Duration.ofDays(1), true, 8, false);
  }

  public MaintenanceOptions withGracePeriod(Duration grace) {
    return new MaintenanceOptions(grace, fullGc, compactAtPacks, aggressive);
  }

  public MaintenanceOptions withFullGc(boolean gc) {
    return new MaintenanceOptions(gracePeriod, gc, compactAtPacks, aggressive);
  }

  public MaintenanceOptions withAggressive(boolean deep) {
    return new MaintenanceOptions(gracePeriod, fullGc, compactAtPacks, deep);
  }
}
