package dev.bunker.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.DataFormatException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectStream;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * Reads every object reachable from a snapshot's refs out of storage and re-hashes it, as {@code
 * git fsck} would, streaming: an object larger than JGit's streaming threshold is never held
 * whole. Objects reachable from an earlier, already verified snapshot can be left out. Damage
 * (missing blobs, short packs, bad zlib streams, content that hashes to another id) is collected
 * and reported; storage that does not answer ({@link BlobUnavailableException}) fails the
 * verification instead, since it says nothing about the data.
 */
final class SnapshotVerifier {
  private final BlobRepository repository;
  private final DfsReader reader;
  private final ObjectInserter.Formatter hasher = new ObjectInserter.Formatter();
  private final List<Verification.Damage> damage = new ArrayList<>();
  private long damaged;
  private long objects;
  private long bytes;

  private SnapshotVerifier(BlobRepository repository, DfsReader reader) {
    this.repository = repository;
    this.reader = reader;
  }

  /**
   * @param tips the snapshot's ref targets
   * @param verifiedTips the ref targets of {@code since}, whose objects are left out
   */
  static Verification verify(BlobRepository repository, SnapshotId id, Collection<ObjectId> tips,
      Optional<SnapshotId> since, Collection<ObjectId> verifiedTips) throws IOException {
    try (DfsReader reader = repository.getObjectDatabase().newReader()) {
      SnapshotVerifier verifier = new SnapshotVerifier(repository, reader);
      verifier.walk(tips, verifiedTips);
      return new Verification(id, since, verifier.objects, verifier.bytes, verifier.damaged,
          verifier.damage);
    }
  }

  /** The result when the snapshot's refs themselves cannot be read: nothing of it can be
   * restored. Storage that did not answer is thrown instead. */
  static Verification unreadableRefs(BlobRepository repository, SnapshotId id, Exception e)
      throws IOException {
    try (DfsReader reader = repository.getObjectDatabase().newReader()) {
      SnapshotVerifier verifier = new SnapshotVerifier(repository, reader);
      verifier.failed(null, "its refs cannot be read: ", e);
      return new Verification(id, Optional.empty(), 0, 0, verifier.damaged, verifier.damage);
    }
  }

  private void walk(Collection<ObjectId> tips, Collection<ObjectId> verifiedTips)
      throws IOException {
    try (ObjectWalk walk = new ObjectWalk(reader)) {
      walk.setRetainBody(false);
      for (ObjectId tip : tips) {
        walk.markStart(walk.parseAny(tip));
      }
      for (ObjectId tip : verifiedTips) {
        walk.markUninteresting(walk.parseAny(tip));
      }
      for (RevObject commit = walk.next(); commit != null; commit = walk.next()) {
        check(commit);
      }
      for (RevObject object = walk.nextObject(); object != null; object = walk.nextObject()) {
        check(object);
      }
    } catch (IOException | RuntimeException e) {
      // A commit or tree the walk needed could not be read: what lies beyond it stays unchecked.
      failed(null, "the walk stopped at an unreadable object: ", e);
    }
  }

  /** Reads the object from storage and checks that its content hashes to its id. */
  private void check(RevObject object) throws IOException {
    int type = object.getType();
    try (ObjectStream in = reader.open(object, type).openStream()) {
      long size = in.getSize();
      ObjectId actual = hasher.idFor(type, size, in);
      objects++;
      bytes += size;
      if (!actual.equals(object)) {
        record(object, "its content hashes to " + actual.name(), Set.of());
      }
    } catch (IOException | RuntimeException e) {
      failed(object, "", e);
    }
  }

  /** Records {@code e} as damage of {@code object} (null: unknown), unless storage was only
   * unavailable or the object too large for memory, which say nothing about the data. */
  private void failed(ObjectId object, String context, Exception e) throws IOException {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BlobUnavailableException unavailable) {
        throw unavailable;
      }
    }
    if (e instanceof LargeObjectException large) {
      throw large;
    }
    record(object, context + describe(e), packsNamedIn(e));
  }

  private void record(ObjectId object, String reason, Set<String> named) {
    damaged++;
    if (damage.size() < Verification.LISTED) {
      Set<String> packs = new LinkedHashSet<>(named);
      if (object != null) {
        packs.addAll(packsHolding(object));
      }
      damage.add(new Verification.Damage(object == null ? null : object.name(), packs, reason));
    }
  }

  /** What went wrong, with JGit's cause (a bad zlib stream, say) and the storage fault. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && !text.toString().contains(t.getMessage())) {
        text.append(" (").append(t instanceof DataFormatException ? "zlib: " : "")
            .append(t.getMessage()).append(')');
      }
    }
    return text.toString();
  }

  /** Blob names of the packs whose index lists {@code object}; a pack whose index cannot be
   * read is named too, as it may be the one. */
  private Set<String> packsHolding(ObjectId object) {
    Set<String> packs = new LinkedHashSet<>();
    try {
      for (DfsPackFile pack : repository.getObjectDatabase().getPacks()) {
        try {
          if (pack.hasObject(reader, object)) {
            packs.add(blobName(pack));
          }
        } catch (IOException e) {
          packs.add(blobName(pack));
        }
      }
    } catch (IOException e) {
      // the pack list itself came from the manifest read at the start; nothing more to name
    }
    return packs;
  }

  /** Packs whose file name a failure's messages mention (JGit names the pack of a bad object;
   * the store names a missing or short blob). */
  private Set<String> packsNamedIn(Throwable e) {
    Set<String> packs = new LinkedHashSet<>();
    List<String> messages = new ArrayList<>(repository.getObjectDatabase().storageFailures());
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    try {
      for (DfsPackFile pack : repository.getObjectDatabase().getPacks()) {
        String file = pack.getPackDescription().getFileName(PackExt.PACK);
        String stem = file.substring(0, file.length() - PackExt.PACK.getExtension().length());
        if (messages.stream().anyMatch(m -> m.contains(stem))) {
          packs.add(blobName(pack));
        }
      }
    } catch (IOException ignored) {
      // as above
    }
    return packs;
  }

  private String blobName(DfsPackFile pack) {
    return repository.getObjectDatabase().blobName(BlobObjDatabase.packName(
        pack.getPackDescription()), PackExt.PACK.getExtension());
  }
}
