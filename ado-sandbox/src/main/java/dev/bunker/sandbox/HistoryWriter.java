package dev.bunker.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Writes history into a {@link HostedRepository}'s bare repository: commits of file changes
 * straight into the object database (no work tree) and forced ref updates, with commit times that
 * advance a minute per object.
 */
final class HistoryWriter {
  static final String MAIN = "main";

  private final Repository git;
  /** The repository's name, the title of the README that starts main. */
  private final String name;
  private long clock = 1_700_000_000L;

  HistoryWriter(Repository git, String name) {
    this.git = git;
    this.name = name;
  }

  /** Commits one file change on {@code branch} (created from main when missing); returns the commit. */
  ObjectId commit(String branch, String path, String content) {
    return commit(branch, path, bytes(content));
  }

  ObjectId commit(String branch, String path, byte[] content) {
    String ref = Constants.R_HEADS + branch;
    ObjectId parent = resolve(ref);
    if (parent == null && !branch.equals(MAIN)) {
      parent = resolve(Constants.R_HEADS + MAIN);
    }
    ObjectId commit = commit(parent == null ? List.of() : List.of(parent), Map.of(path, content),
        "Change " + path + " on " + branch);
    setRef(ref, commit);
    return commit;
  }

  synchronized ObjectId commit(List<ObjectId> parents, Map<String, byte[]> changes, String message) {
    try (ObjectInserter inserter = git.newObjectInserter(); RevWalk walk = new RevWalk(git)) {
      DirCache index = parents.isEmpty()
          ? DirCache.newInCore()
          : DirCache.read(walk.getObjectReader(), walk.parseCommit(parents.get(0)).getTree());
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, byte[]> change : changes.entrySet()) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, change.getValue());
        editor.add(new DirCacheEditor.PathEdit(change.getKey()) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      CommitBuilder builder = new CommitBuilder();
      builder.setTreeId(index.writeTree(inserter));
      builder.setParentIds(parents);
      PersonIdent ident = nextIdent();
      builder.setAuthor(ident);
      builder.setCommitter(ident);
      builder.setMessage(message + "\n");
      ObjectId id = inserter.insert(builder);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObjectId ensureMain() {
    ObjectId tip = resolve(Constants.R_HEADS + MAIN);
    return tip != null ? tip : commit(MAIN, "README.md", "# " + name + "\n");
  }

  ObjectId resolve(String ref) {
    try {
      Ref found = git.exactRef(ref);
      return found == null ? null : found.getObjectId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void setRef(String ref, ObjectId target) {
    try {
      RefUpdate update = git.updateRef(ref);
      update.setNewObjectId(target);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.update();
      if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE
          || result == RefUpdate.Result.REJECTED) {
        throw new IllegalStateException("cannot update " + ref + ": " + result);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commit times advance one minute per object so history sorts the way it was built. */
  synchronized PersonIdent nextIdent() {
    clock += 60;
    return new PersonIdent("Sandbox Author", "author@sandbox.example",
        Instant.ofEpochSecond(clock), ZoneOffset.UTC);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
