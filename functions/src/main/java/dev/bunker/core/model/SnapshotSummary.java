package dev.bunker.core.model;

import java.time.Instant;

/**
 * What a backup into the git store produced: the snapshot and what it cost. {@code unchangedSince} is
 * the snapshot before it when this one holds exactly its refs (nothing changed at the source), else null;
 * {@code after} the snapshot before it in the repository, null for its first. {@code lfsFree}: no blob
 * the snapshot reaches is a Git LFS pointer, as the store knows from the backup (false where it
 * could not tell). {@code recordedAt}: when the store recorded it (a snapshot recorded again under
 * the same id has another), null for a metadata snapshot.
 */
public record SnapshotSummary(String snapshotId, int refCount, String headCommit, long packBytesAdded,
    long objectsAdded, String unchangedSince, String after, boolean lfsFree, Instant recordedAt) {}
