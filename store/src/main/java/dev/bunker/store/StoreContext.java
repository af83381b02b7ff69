package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every repository of one {@link GitStore} shares.
 *
 * @param storeId distinguishes this store's files in the process-wide DFS block cache from those
 *     of another store (another container) that has a repository under the same key
 * @param uploads runs block uploads while JGit goes on producing the file
 * @param fetchedLfsPointers what backups found in the packs they fetched, for the LFS step after them
 */
record StoreContext(String storeId, Blobs blobs, Clock clock, GitStore.Options options,
    ScheduledExecutorService leaseRenewals, ExecutorService uploads, FetchedLfsPointers fetchedLfsPointers) {}
