package dev.bunker.store;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * Finds Git LFS pointers by walking objects: what a backup's pack parser could not answer
 * ({@link ReceivingInserter}), e.g. for a retried LFS step or a branch restored with nothing fetched.
 */
final class LfsPointerWalk {
  private LfsPointerWalk() {}

  /** The pointers reachable from {@code tips} but not from {@code known}. */
  static Set<LfsPointer> newSince(Repository repository, Set<ObjectId> tips, Set<ObjectId> known)
      throws IOException {
    Set<LfsPointer> pointers = new HashSet<>();
    Set<ObjectId> starts = new HashSet<>(tips);
    // a tip the earlier snapshot has adds nothing: a backup with no change walks nothing
    starts.removeAll(known);
    if (starts.isEmpty()) {
      return pointers;
    }
    try (ObjectWalk walk = new ObjectWalk(repository)) {
      for (ObjectId tip : starts) {
        walk.markStart(walk.parseAny(tip));
      }
      for (ObjectId tip : known) {
        walk.markUninteresting(walk.parseAny(tip));
      }
      while (walk.next() != null) {
        // commits first; their trees and blobs follow from nextObject
      }
      ObjectReader reader = walk.getObjectReader();
      for (RevObject object = walk.nextObject(); object != null; object = walk.nextObject()) {
        if (object.getType() == Constants.OBJ_BLOB
            && reader.getObjectSize(object, Constants.OBJ_BLOB) < LfsPointer.MAX_SIZE) {
          LfsPointer.parse(reader.open(object, Constants.OBJ_BLOB).getCachedBytes()).ifPresent(pointers::add);
        }
      }
    }
    return pointers;
  }
}
