package dev.bunker.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/**
 * The content of {@code manifest.json}, the only mutable blob of a repository: the live pack
 * files, the snapshots recorded so far, and the packs dropped from the live set that wait out
 * their grace period before deletion. Immutable; every change makes a new manifest that is
 * written with a conditional write.
 */
record Manifest(int version, List<Pack> packs, List<SnapshotRecord> snapshots,
    List<Retired> retired) {

  static final int VERSION = 1;
  static final Manifest EMPTY = new Manifest(VERSION, List.of(), List.of(), List.of());

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  Manifest {
    packs = List.copyOf(packs);
    snapshots = List.copyOf(snapshots);
    retired = List.copyOf(retired);
  }

  /**
   * One live pack: its files (extension → size in bytes) and what JGit needs to order and open
   * it without asking storage. The source is kept by name (INSERT, RECEIVE, GC, …). {@code
   * bundleOf} names a snapshot whose refs reach every object of this pack, which holds every
   * object they reach: the pack, as it is, is the pack of that snapshot's bundle (and of any
   * snapshot with the same refs). Set on the pack a backup received into a store that held no
   * objects (what the source sent for that snapshot's refs), and on the GC pack of a repository
   * whose snapshots all had the same refs; null for every other pack.
   */
  record Pack(String name, String source, long lastModified, long objects, long deltas,
      int indexVersion, long minUpdateIndex, long maxUpdateIndex, Map<String, Long> files,
      Map<String, Integer> blockSizes, String bundleOf) {
    Pack {
      files = new TreeMap<>(files);
      blockSizes = blockSizes == null ? Map.of() : new TreeMap<>(blockSizes);
    }

    Pack withBundleOf(String snapshotId) {
      return new Pack(name, source, lastModified, objects, deltas, indexVersion, minUpdateIndex,
          maxUpdateIndex, files, blockSizes, snapshotId);
    }
  }

  /**
   * A snapshot's facts; its refs live in the reftables under {@code refs/snapshots/<id>/}. {@code
   * lfsFree}: no blob its refs reach is a Git LFS pointer (false where that is not known, and in
   * manifests written before it was recorded).
   */
  record SnapshotRecord(String id, Instant created, String headRef, String head, int refs,
      long bytesAdded, long objectsAdded, boolean lfsFree) {
    SnapshotRecord asLfsFree() {
      return new SnapshotRecord(id, created, headRef, head, refs, bytesAdded, objectsAdded, true);
    }
  }

  /** Files of a pack that left the live set at {@code retiredAt}; deleted after the grace period. */
  record Retired(String name, Instant retiredAt, List<String> files) {
    Retired {
      files = List.copyOf(files);
    }
  }

  Optional<SnapshotRecord> snapshot(String id) {
    return snapshots.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  Manifest withPacks(Collection<Pack> added, Collection<String> removedNames, Instant now) {
    List<Pack> live = new ArrayList<>(added);
    List<Retired> gone = new ArrayList<>(retired);
    for (Pack p : packs) {
      if (removedNames.contains(p.name())) {
        gone.add(new Retired(p.name(), now, List.copyOf(p.files().keySet())));
      } else if (added.stream().noneMatch(a -> a.name().equals(p.name()))) {
        live.add(p);
      }
    }
    return new Manifest(version, live, snapshots, gone);
  }

  /** The live packs that hold objects (reftables are packs of their own, without objects). */
  List<Pack> objectPacks() {
    return packs.stream().filter(p -> p.files().containsKey(PackExt.PACK.getExtension())).toList();
  }

  /** The bytes of every file of every pack it names (objects, indexes, bitmaps, reftables). */
  long storedBytes() {
    return packs.stream().flatMap(p -> p.files().values().stream()).mapToLong(Long::longValue).sum();
  }

  /**
   * Marks the one pack holding objects as {@link Pack#bundleOf} {@code snapshotId}; for a caller
   * that knows that snapshot's refs reach exactly that pack's objects. Unchanged when there is not
   * exactly one.
   */
  Manifest withBundleOf(String snapshotId) {
    List<Pack> holding = objectPacks();
    if (holding.size() != 1) {
      return this;
    }
    Pack only = holding.get(0);
    return new Manifest(version,
        packs.stream().map(p -> p == only ? p.withBundleOf(snapshotId) : p).toList(), snapshots,
        retired);
  }

  Manifest withSnapshot(SnapshotRecord snapshot) {
    List<SnapshotRecord> all = new ArrayList<>(snapshots);
    all.removeIf(s -> s.id().equals(snapshot.id()));
    all.add(snapshot);
    all.sort((a, b) -> a.id().compareTo(b.id()));
    return new Manifest(version, packs, all, retired);
  }

  /**
   * Without those snapshots; a pack marked as the bundle of one of them loses the mark, since a
   * backup may record a snapshot of that id again with other refs.
   */
  Manifest withoutSnapshots(Set<String> ids) {
    return new Manifest(version,
        packs.stream().map(p -> p.bundleOf() != null && ids.contains(p.bundleOf())
            ? p.withBundleOf(null) : p).toList(),
        snapshots.stream().filter(s -> !ids.contains(s.id())).collect(Collectors.toList()),
        retired);
  }

  Manifest withoutRetired(Set<String> names) {
    return new Manifest(version, packs, snapshots,
        retired.stream().filter(r -> !names.contains(r.name())).collect(Collectors.toList()));
  }

  byte[] toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("manifest cannot be serialized", e);
    }
  }

  /**
   * Parses a manifest.
   *
   * @param where repository and blob, for the error message
   * @throws CorruptRepositoryException when the blob is not a manifest this code understands
   */
  static Manifest parse(byte[] json, String where) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (IOException e) {
      throw new CorruptRepositoryException(where + " is not valid JSON: " + e.getMessage(),
          e);
    }
    if (tree == null || !tree.path("version").isInt()) {
      throw new CorruptRepositoryException(where + " has no format version");
    }
    int version = tree.get("version").asInt();
    if (version != VERSION) {
      throw new CorruptRepositoryException(where + " has format version " + version
          + "; this Bunker reads version " + VERSION + " (a newer Bunker wrote it?)");
    }
    try {
      // A missing list fails in the compact constructor, which Jackson reports as an IOException.
      return JSON.treeToValue(tree, Manifest.class);
    } catch (IOException e) {
      throw new CorruptRepositoryException(where + " is not a valid manifest: "
          + e.getMessage(), e);
    }
  }
}
