package dev.bunker.store;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.dfs.DfsReftableDatabase;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * A full GC of one repository with JGit's {@link DfsGarbageCollector}: every reachable object
 * into one pack (with bitmaps), the unreachable ones into a garbage pack, and garbage packs older
 * than the grace period dropped in the same manifest commit. When every snapshot has the same refs,
 * the GC pack is marked as their bundle ({@link Manifest.Pack#bundleOf}).
 */
final class GarbageCollection {
  private final BlobRepository repository;
  private final StoreContext context;

  GarbageCollection(BlobRepository repository, StoreContext context) {
    this.repository = repository;
    this.context = context;
  }

  /** Whether a full GC would change anything: several packs, expired garbage, or asked to. */
  static boolean worthRunning(List<Manifest.Pack> packs, MaintenanceOptions options, Instant expired) {
    boolean garbageExpired = packs.stream().anyMatch(p -> isExpiredGarbage(p, expired));
    return packs.size() > 2 || garbageExpired || options.aggressive() || !hasSingleGcPack(packs);
  }

  /** Runs it; true when it wrote packs. */
  boolean run(MaintenanceOptions options, Instant expired) throws IOException {
    DfsGarbageCollector gc = new DfsGarbageCollector(repository);
    PackConfig config = new PackConfig(repository);
    config.setSinglePack(true);
    config.setBuildBitmaps(true);
    if (options.aggressive()) {
      // git gc --aggressive's settings
      config.setDeltaCompress(true);
      config.setReuseDeltas(false);
      config.setDeltaSearchWindowSize(250);
      config.setMaxDeltaDepth(50);
    } else {
      // Keep the deltas the source's server made and search no new ones: a routine GC then
      // mostly copies bytes, instead of reading every whole object back from storage to try
      // deltas that rarely pay (binaries); the aggressive option does the deep search.
      config.setDeltaCompress(false);
    }
    gc.setPackConfig(config);
    gc.setReftableConfig(((DfsReftableDatabase) repository.getRefDatabase())
        .getReftableConfig());
    // Unreachable objects go to a garbage pack (a backup may still reuse them); garbage packs
    // older than the grace period are dropped here, in the same commit as the GC pack, which
    // holds every object still reachable. JGit's own expiry and coalescing of garbage packs
    // would go by the wall clock, so both are off.
    gc.setGarbageTtl(Long.MAX_VALUE / 2, TimeUnit.MILLISECONDS);
    gc.setCoalesceGarbageLimit(0);
    // With every snapshot at the same refs, the GC pack holds exactly what they reach (the rest
    // goes to a garbage pack, a second pack with objects): the bundle of each, as it is.
    Optional<String> bundleOf = snapshotWhoseRefsAllHave();
    repository.getObjectDatabase().onNextRefCommit(m -> {
      Manifest next = m.withPacks(List.of(), m.packs().stream().filter(p -> isExpiredGarbage(p, expired))
          .map(Manifest.Pack::name).collect(Collectors.toSet()), context.clock().instant());
      return bundleOf.map(next::withBundleOf).orElse(next);
    });
    return gc.pack(NullProgressMonitor.INSTANCE);
  }

  /**
   * The newest snapshot, when every snapshot has the same refs and the live refs are theirs (all
   * but a source's own {@code refs/snapshots/}): the refs GC keeps objects for are then those.
   */
  private Optional<String> snapshotWhoseRefsAllHave() throws IOException {
    List<Manifest.SnapshotRecord> snapshots = repository.getObjectDatabase().manifest().snapshots();
    if (snapshots.isEmpty()) {
      return Optional.empty();
    }
    Manifest.SnapshotRecord newest = snapshots.get(snapshots.size() - 1);
    Map<String, ObjectId> refs = SnapshotRefs.refs(repository, new SnapshotId(newest.id()));
    Map<String, ObjectId> live = new TreeMap<>(refs);
    live.keySet().removeIf(name -> name.startsWith(SnapshotId.REFS));
    if (!DfsBackupRepository.ids(repository.liveRefs()).equals(live)) {
      return Optional.empty(); // the newest snapshot was deleted: the live refs reach more
    }
    for (Manifest.SnapshotRecord other : snapshots.subList(0, snapshots.size() - 1)) {
      if (other.refs() != newest.refs()
          || !SnapshotRefs.refs(repository, new SnapshotId(other.id())).equals(refs)) {
        return Optional.empty();
      }
    }
    return Optional.of(newest.id());
  }

  private static boolean isExpiredGarbage(Manifest.Pack pack, Instant expired) {
    return pack.source().equals(PackSource.UNREACHABLE_GARBAGE.name())
        && pack.lastModified() < expired.toEpochMilli();
  }

  private static boolean hasSingleGcPack(List<Manifest.Pack> packs) {
    return packs.size() == 1 && packs.get(0).source().equals(PackSource.GC.name());
  }
}
