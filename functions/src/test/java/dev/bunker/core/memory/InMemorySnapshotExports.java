package dev.bunker.core.memory;

import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.port.SnapshotExports;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exports that are "written" instantly, or fail while {@link #breakWrites} is set; ready ones get a
 * fake signed URL, failed ones are held for a fixed 15 minutes.
 */
public final class InMemorySnapshotExports implements SnapshotExports {
  private final Map<String, Boolean> written = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private volatile String writeFailure;
  private volatile OptionalLong storedBytes = OptionalLong.of(1 << 20);

  @Override
  public ExportStatus status(RepositoryKey repository, String snapshotId) {
    String name = name(repository, snapshotId);
    if (written.containsKey(name)) {
      return ExportStatus.ready(URI.create("https://backups.example/exports/" + name + ".bundle?sig=fake"));
    }
    String failure = failures.get(name);
    return failure == null ? ExportStatus.missing() : ExportStatus.failed(failure, Duration.ofMinutes(15));
  }

  @Override
  public OptionalLong storedBytes(RepositoryKey repository, String snapshotId) {
    return storedBytes;
  }

  @Override
  public void write(RepositoryKey repository, String snapshotId, String fileName) {
    if (writeFailure != null) {
      throw new IllegalStateException(writeFailure);
    }
    written.put(name(repository, snapshotId), true);
    writes.incrementAndGet(); // every call: a test sees a second write that the real one would skip
  }

  @Override
  public void fail(RepositoryKey repository, String snapshotId, String reason) {
    failures.put(name(repository, snapshotId), reason);
  }

  /** Every write from now on fails with {@code reason} (none after {@code null}). */
  public void breakWrites(String reason) {
    writeFailure = reason;
  }

  /** What every snapshot's bundle comes to at most, from now on (1 MiB until set). */
  public void storeBundlesOf(long bytes) {
    storedBytes = OptionalLong.of(bytes);
  }

  /** From now on the store holds no snapshot (retention forgot them before the catalog did). */
  public void storeNoSnapshot() {
    storedBytes = OptionalLong.empty();
  }

  public int writes() {
    return writes.get();
  }

  private static String name(RepositoryKey repository, String snapshotId) {
    return repository.organizationId() + "/" + repository.repositoryId() + "/" + snapshotId;
  }
}
