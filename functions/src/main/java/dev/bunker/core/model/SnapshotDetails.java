package dev.bunker.core.model;

import java.util.List;

/** A snapshot with its refs, for GET of one snapshot. */
public record SnapshotDetails(Snapshot snapshot, List<SnapshotRef> refs) {}
