package dev.bunker.core.model;

/** What a backup into the git store produced: the snapshot and what it cost. */
public record SnapshotSummary(String snapshotId, int refCount, String headCommit, long packBytesAdded, long objectsAdded) {}
