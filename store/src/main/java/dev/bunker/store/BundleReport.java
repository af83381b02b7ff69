package dev.bunker.store;

/**
 * What {@link BackupRepository#writeBundle} did.
 *
 * @param refs refs in the bundle's header (HEAD included)
 * @param objects objects in its pack
 * @param objectsReused objects copied as stored (whole or as a delta), not inflated and compressed
 *     again
 * @param objectsDeltaSearched objects searched for a new delta base
 */
public record BundleReport(int refs, long objects, long objectsReused,
    long objectsDeltaSearched) {}
