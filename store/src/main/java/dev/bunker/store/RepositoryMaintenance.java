package dev.bunker.store;

import dev.bunker.store.blob.Blobs;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.internal.storage.dfs.DfsPackCompactor;
import org.eclipse.jgit.lib.NullProgressMonitor;

/**
 * Maintenance of one repository, run under its writer lease: a {@link GarbageCollection} or, with
 * many packs, a compaction of the small ones (JGit's {@link DfsPackCompactor}); then the files of
 * packs retired longer than the grace period are deleted, and blobs under {@code packs/} that no
 * manifest names (a crashed writer's) once older than it.
 */
final class RepositoryMaintenance {
  private final BlobRepository repository;
  private final StoreContext context;
  private final String key;

  RepositoryMaintenance(BlobRepository repository, StoreContext context, String key) {
    this.repository = repository;
    this.context = context;
    this.key = key;
  }

  MaintenanceReport run(MaintenanceOptions options) throws IOException {
    BlobObjDatabase objects = repository.getObjectDatabase();
    Manifest before = objects.manifest();
    Instant now = context.clock().instant();
    Instant expired = now.minus(options.gracePeriod());
    boolean repacked = repack(before, options, expired);
    int retiredDeleted = deleteRetired(objects, expired);
    int orphansDeleted = sweepOrphans(objects, expired);
    Manifest after = objects.manifest();
    return new MaintenanceReport(before.packs().size(), after.packs().size(), before.storedBytes(),
        after.storedBytes(), repacked, retiredDeleted, orphansDeleted);
  }

  private boolean repack(Manifest manifest, MaintenanceOptions options, Instant expired)
      throws IOException {
    List<Manifest.Pack> packs = manifest.packs();
    if (options.fullGc() && GarbageCollection.worthRunning(packs, options, expired)) {
      // the GC reads every reachable object, in its own order rather than the packs': each pack
      // once, whole, instead of a ranged read for each block the block cache misses (a compaction
      // below reads only the small packs it merges, so it is left to read them from storage). Its
      // new pack, at most what the packs hold, is spooled to the same directory as it uploads.
      repository.getObjectDatabase().readPacksLocally(manifest.storedBytes());
      return new GarbageCollection(repository, context).run(options, expired);
    }
    if (packs.size() >= options.compactAtPacks()) {
      DfsPackCompactor compactor = new DfsPackCompactor(repository).autoAdd();
      compactor.compact(NullProgressMonitor.INSTANCE);
      return !compactor.getSourcePacks().isEmpty();
    }
    return false;
  }

  private int deleteRetired(BlobObjDatabase objects, Instant expired) throws IOException {
    Manifest manifest = objects.manifest();
    Set<String> done = new HashSet<>();
    int deleted = 0;
    for (Manifest.Retired retired : manifest.retired()) {
      if (retired.retiredAt().isAfter(expired)) {
        continue;
      }
      for (String extension : retired.files()) {
        context.blobs().delete(objects.blobName(retired.name(), extension));
        deleted++;
      }
      done.add(retired.name());
    }
    if (!done.isEmpty()) {
      objects.commitManifest(m -> m.withoutRetired(done));
    }
    return deleted;
  }

  /** Deletes blobs under packs/ that no manifest entry names, once older than the grace period
   * (a writer that crashed after writing them; a writer still at work is younger). */
  private int sweepOrphans(BlobObjDatabase objects, Instant expired) throws IOException {
    Manifest manifest = objects.manifest();
    Set<String> known = new HashSet<>();
    for (Manifest.Pack pack : manifest.packs()) {
      pack.files().keySet().forEach(ext -> known.add(objects.blobName(pack.name(), ext)));
    }
    for (Manifest.Retired retired : manifest.retired()) {
      retired.files().forEach(ext -> known.add(objects.blobName(retired.name(), ext)));
    }
    int deleted = 0;
    for (Blobs.BlobInfo blob : context.blobs().list(key + "/packs/")) {
      if (!known.contains(blob.name()) && !blob.lastModified().isAfter(expired)) {
        context.blobs().delete(blob.name());
        deleted++;
      }
    }
    return deleted;
  }
}
