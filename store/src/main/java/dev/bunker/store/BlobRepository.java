package dev.bunker.store;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.jgit.internal.storage.dfs.DfsReaderOptions;
import org.eclipse.jgit.internal.storage.dfs.DfsReftableDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsRepository;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryBuilder;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;

/**
 * A JGit DFS repository whose pack files and reftables are blobs under one key, listed by
 * {@code manifest.json}. One instance serves one operation; the process-wide DFS block cache keeps
 * what it read for the next.
 */
final class BlobRepository extends DfsRepository {
  private final BlobObjDatabase objects;
  private final DfsReftableDatabase refs;
  /** While set, listings of refs leave out the snapshots' ({@link #liveRefsOnly}). */
  private volatile boolean liveRefsOnly;

  private static final class Builder extends DfsRepositoryBuilder<Builder, BlobRepository> {
    @Override
    public BlobRepository build() {
      throw new UnsupportedOperationException("use BlobRepository.open");
    }
  }

  private BlobRepository(Builder builder, StoreContext context, String key, WriterLease lease) {
    super(builder);
    objects = new BlobObjDatabase(this, context, key, lease);
    refs = new DfsReftableDatabase(this) {
      @Override
      public List<Ref> getRefsByPrefix(String prefix) throws IOException {
        List<Ref> all = super.getRefsByPrefix(prefix);
        return liveRefsOnly ? all.stream().filter(ref -> live(ref.getName())).toList() : all;
      }

      @Override
      public Map<String, Ref> getRefs(String prefix) throws IOException {
        Map<String, Ref> all = super.getRefs(prefix);
        if (!liveRefsOnly) {
          return all;
        }
        Map<String, Ref> live = new LinkedHashMap<>();
        all.forEach((name, ref) -> {
          if (live(ref.getName())) {
            live.put(name, ref);
          }
        });
        return live;
      }
    };
    // Bundles, pushes and exports send objects as stored (deltas from the source's server kept)
    // and search no new deltas: a search reads every whole object back from storage once more
    // (3 passes over the pack instead of 2) and costs CPU, to shrink mostly what the source
    // chose not to delta. Only the aggressive GC searches, on its own settings.
    getConfig().setBoolean(ConfigConstants.CONFIG_PACK_SECTION, null,
        ConfigConstants.CONFIG_KEY_DELTA_COMPRESSION, false);
    // Every snapshot writes a reftable of all its refs, so bytes per ref count: no object index
    // (it serves finding refs by object id, which a store that never serves fetches does not
    // need; JGit scans instead): 45.7 -> 33.9 KiB per snapshot of 1,008 refs. Blocks stay
    // aligned: unaligned ones saved little more and took more ranged reads.
    getConfig().setBoolean("reftable", null, "indexObjects", false);
    // Git's original protocol, the one Azure DevOps speaks (grafana/nanogit,
    // docs/architecture/protocol-v2.md): a fetch lists refs with one GET and asks for objects with
    // a POST only when it lacks some (BeforeObjectsAreAsked), from any server.
    getConfig().setString("protocol", null, "version", "0");
  }

  /**
   * Opens the repository stored under {@code key}.
   *
   * @param lease the writer lease when this operation writes, null for reading only
   */
  static BlobRepository open(StoreContext context, String key, WriterLease lease) {
    return open(context, key, lease, context.storeId() + "/" + key);
  }

  /**
   * Opens the repository for reading under a name of its own, so that the process-wide block
   * cache holds nothing of it yet and every byte read comes from storage (a verification must
   * not check what this process wrote or read before).
   */
  static BlobRepository openUncached(StoreContext context, String key) {
    return open(context, key, null, context.storeId() + "/uncached-" + UUID.randomUUID() + "/" + key);
  }

  private static BlobRepository open(StoreContext context, String key, WriterLease lease,
      String cacheName) {
    Builder builder = new Builder().setRepositoryDescription(new DfsRepositoryDescription(cacheName))
        .setReaderOptions(new DfsReaderOptions()
            .setStreamPackBufferSize(context.options().maxReadAhead()));
    return new BlobRepository(builder, context, key, lease);
  }

  /** The live refs, by name: all but snapshots' (the source's as of the latest backup). */
  Map<String, Ref> liveRefs() throws IOException {
    Map<String, Ref> live = new TreeMap<>();
    for (Ref ref : getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
      if (live(ref.getName())) {
        live.put(ref.getName(), ref);
      }
    }
    return live;
  }

  private static boolean live(String refName) {
    return !refName.startsWith(SnapshotId.REFS);
  }

  /**
   * Runs {@code work} while listings of refs hold only the live refs (the source's, as of the latest
   * backup), not the snapshots': a fetch then tells the source it has what those refs reach, and no
   * more, so it is sent every object of the new refs that the live refs do not reach.
   */
  <T> T liveRefsOnly(Work<T> work) throws IOException {
    liveRefsOnly = true;
    try {
      return work.run();
    } finally {
      liveRefsOnly = false;
    }
  }

  /** Work on this repository that may fail with I/O. */
  interface Work<T> {
    T run() throws IOException;
  }

  @Override
  public BlobObjDatabase getObjectDatabase() {
    return objects;
  }

  @Override
  public RefDatabase getRefDatabase() {
    return refs;
  }
}
