package dev.bunker.core.model;

/**
 * What a backup into the git store produced: the snapshot and what it cost. {@code unchangedSince} is
 * the snapshot before it when this one holds exactly its refs (nothing changed at the source), else null;
 * {@code after} the snapshot before it in the repository, null for its first.
 */
public record SnapshotSummary(String snapshotId, int refCount, String headCommit, long packBytesAdded,
    long objectsAdded, String unchangedSince, String after) {}
