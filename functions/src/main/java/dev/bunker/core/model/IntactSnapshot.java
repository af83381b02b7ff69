package dev.bunker.core.model;

import java.time.Instant;

/**
 * A repository's newest snapshot known intact, and when that was established: verified so, or
 * holding exactly the refs of a snapshot verified so (then it carries that verification's time).
 * A backup whose refs equal this snapshot's takes its verification without reading that
 * snapshot's row.
 */
public record IntactSnapshot(String snapshotId, Instant verifiedAt) {}
