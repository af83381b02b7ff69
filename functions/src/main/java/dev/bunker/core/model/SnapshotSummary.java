package dev.bunker.core.model;

/**
 * What a backup into the git store produced: the snapshot and what it cost. {@code unchangedSince} is
 * the snapshot before it when this one holds exactly its refs (nothing changed at the source), else null;
 * {@code after} the snapshot before it in the repository, null for its first. {@code lfsFree}: no blob
 * the snapshot reaches is a Git LFS pointer, as the store knows from the backup (false where it
 * could not tell).
 */
public record SnapshotSummary(String snapshotId, int refCount, String headCommit, long packBytesAdded,
    long objectsAdded, String unchangedSince, String after, boolean lfsFree) {}
