package dev.bunker.core.memory;

import dev.bunker.core.ExportStatus;
import dev.bunker.core.RepositoryKey;
import dev.bunker.core.SnapshotExports;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Exports that are "written" instantly; ready ones get a fake signed URL. */
public final class InMemorySnapshotExports implements SnapshotExports {
  private final Map<String, Boolean> written = new ConcurrentHashMap<>();
  private final AtomicInteger writes = new AtomicInteger();

  @Override
  public ExportStatus status(RepositoryKey repository, String snapshotId) {
    return written.containsKey(name(repository, snapshotId))
        ? ExportStatus.ready(URI.create("https://backups.example/exports/" + name(repository, snapshotId)
            + ".bundle?sig=fake"))
        : ExportStatus.missing();
  }

  @Override
  public void write(RepositoryKey repository, String snapshotId) {
    if (written.putIfAbsent(name(repository, snapshotId), true) == null) {
      writes.incrementAndGet();
    }
  }

  public int writes() {
    return writes.get();
  }

  private static String name(RepositoryKey repository, String snapshotId) {
    return repository.organizationId() + "/" + repository.repositoryId() + "/" + snapshotId;
  }
}
