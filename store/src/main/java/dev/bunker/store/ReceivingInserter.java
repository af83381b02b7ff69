package dev.bunker.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.internal.storage.dfs.DfsInserter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.transport.PackParser;

/**
 * JGit's DFS inserter, but a pack a fetch receives is parsed by {@link ReceivedPackParser}: its
 * deltas resolved on several threads, and the Git LFS pointers among its blobs noted as they are
 * made, so finding the pointers a fetch brought parses no tree and reads nothing back from storage.
 */
final class ReceivingInserter extends ObjectInserter.Filter {
  /** The pointers the packs parsed through one object database received. */
  static final class Received implements ReceivedPackParser.SmallBlobs {
    private final Set<LfsPointer> pointers = ConcurrentHashMap.newKeySet();
    private volatile boolean packAsked;
    private volatile boolean packParsed;
    private volatile boolean insertedUnread;

    /**
     * The pointers received, once a pack was asked for by git's smart protocol, received and parsed
     * whole, and no object came any other way; empty otherwise. Git's dumb HTTP fetches what it lacks
     * file by file: objects one by one (unread here), packs whole, and never what the repository
     * holds already, reached by the live refs or not, so its packs are not all the new objects.
     */
    Optional<Set<LfsPointer>> pointers() {
      return packAsked && packParsed && !insertedUnread ? Optional.of(Set.copyOf(pointers)) : Optional.empty();
    }

    /** A fetch asks the source for a pack of what the live refs do not reach (the upload-pack request). */
    void packAsked() {
      packAsked = true;
    }

    @Override
    public void blob(byte[] content) {
      LfsPointer.parse(content).ifPresent(pointers::add);
    }

    @Override
    public void packParsed() {
      packParsed = true;
    }
  }

  private final BlobObjDatabase db;
  private final ObjectInserter inserter;
  private final Received received;

  ReceivingInserter(BlobObjDatabase db, Received received) {
    this.db = db;
    this.inserter = new DfsInserter(db) {};
    this.received = received;
  }

  @Override
  protected ObjectInserter delegate() {
    return inserter;
  }

  // every way an object comes in one by one (Filter hands each straight to the delegate)
  @Override
  public ObjectId insert(int type, byte[] data) throws IOException {
    received.insertedUnread = true;
    return super.insert(type, data);
  }

  @Override
  public ObjectId insert(int type, byte[] data, int off, int len) throws IOException {
    received.insertedUnread = true;
    return super.insert(type, data, off, len);
  }

  @Override
  public ObjectId insert(int objectType, long length, InputStream in) throws IOException {
    received.insertedUnread = true;
    return super.insert(objectType, length, in);
  }

  @Override
  public PackParser newPackParser(InputStream in) {
    return new ReceivedPackParser(db, in, Runtime.getRuntime().availableProcessors(),
        ReceivedPackParser.DELTAS_FOR_THREADS, LfsPointer.MAX_SIZE, received);
  }
}
