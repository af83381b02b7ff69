package dev.bunker.store;

/**
 * What {@link BackupRepository#maintain} did.
 *
 * @param packsBefore live packs (including reftable-only ones) before
 * @param packsAfter live packs after
 * @param bytesBefore bytes of live files before
 * @param bytesAfter bytes of live files after
 * @param repacked whether a GC or compaction replaced packs
 * @param retiredDeleted files of dropped packs deleted because their grace period was over
 * @param orphansDeleted blobs no manifest knows (crashed writers) deleted after the grace period
 */
public record MaintenanceReport(int packsBefore, int packsAfter, long bytesBefore,
    long bytesAfter, boolean repacked, int retiredDeleted, int orphansDeleted) {}
