package dev.bunker.core.memory;

import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.SnapshotCheck;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.port.RepositoryVault;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Snapshots in memory. A backup snapshots whatever refs the test set for the source URL (one
 * {@code refs/heads/main} by default); failures can be injected per URL.
 */
public final class InMemoryRepositoryVault implements RepositoryVault {
  private final Map<RepositoryKey, Map<String, List<SnapshotRef>>> snapshots = new ConcurrentHashMap<>();
  private final Map<String, List<SnapshotRef>> sources = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
  private final Map<String, List<SnapshotRef>> pushed = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicInteger maintenance = new AtomicInteger();
  private final Map<RepositoryKey, String> damagedPacks = new ConcurrentHashMap<>();
  private final List<Verified> verified = new CopyOnWriteArrayList<>();

  /** One call of {@link #verify}: which snapshot, and which earlier one's objects it left out. */
  public record Verified(RepositoryKey repository, String snapshotId, Optional<String> since) {}

  public void sourceRefs(String url, List<SnapshotRef> refs) {
    sources.put(url, List.copyOf(refs));
  }

  /** Every backup from {@code url} fails with {@code failure} until {@link #heal}. */
  public void failBackupsOf(String url, RuntimeException failure) {
    failures.put(url, failure);
  }

  public void heal(String url) {
    failures.remove(url);
  }

  /** Every snapshot of the repository verified from now on reaches a corrupt object of {@code pack}; null heals. */
  public void damage(RepositoryKey repository, String pack) {
    if (pack == null) {
      damagedPacks.remove(repository);
    } else {
      damagedPacks.put(repository, pack);
    }
  }

  public List<Verified> verified() {
    return List.copyOf(verified);
  }

  public int fetches() {
    return fetches.get();
  }

  public int maintenanceRuns() {
    return maintenance.get();
  }

  public Map<String, List<SnapshotRef>> pushed() {
    return Map.copyOf(pushed);
  }

  public List<String> snapshotIds(RepositoryKey repository) {
    return snapshotsOf(repository).keySet().stream().sorted().toList();
  }

  @Override
  public SnapshotSummary backup(RepositoryKey repository, String snapshotId, GitEndpoint source) {
    Map<String, List<SnapshotRef>> existing = snapshotsOf(repository);
    List<SnapshotRef> refs = existing.get(snapshotId);
    String unchangedSince = null;
    String after = existing.keySet().stream().filter(other -> other.compareTo(snapshotId) < 0)
        .max(Comparator.naturalOrder()).orElse(null);
    if (refs == null) {
      RuntimeException failure = failures.get(source.url());
      if (failure != null) {
        throw failure;
      }
      fetches.incrementAndGet();
      refs = sources.getOrDefault(source.url(), List.of(new SnapshotRef("refs/heads/main", "a".repeat(40))));
      List<SnapshotRef> made = refs;
      // as the store: a new snapshot with exactly the refs of the one before says so
      unchangedSince = after != null && existing.get(after).equals(made) ? after : null;
      existing.put(snapshotId, refs);
    }
    String head = refs.isEmpty() ? null : refs.get(0).objectId();
    return new SnapshotSummary(snapshotId, refs.size(), head, 1000L * refs.size(), 3L * refs.size(), unchangedSince,
        after, false, null);
  }

  @Override
  public List<SnapshotRef> refs(RepositoryKey repository, String snapshotId) {
    List<SnapshotRef> refs = snapshotsOf(repository).get(snapshotId);
    if (refs == null) {
      throw new NotFoundException("snapshot", snapshotId);
    }
    return refs;
  }

  @Override
  public SnapshotCheck verify(RepositoryKey repository, String snapshotId, Optional<String> since) {
    List<SnapshotRef> refs = refs(repository, snapshotId);
    verified.add(new Verified(repository, snapshotId, since));
    String pack = damagedPacks.get(repository);
    return new SnapshotCheck(3L * refs.size(),
        pack == null ? null : "1 damaged object(s) in pack(s) " + pack + ": bad zlib stream");
  }

  @Override
  public void restore(RepositoryKey repository, String snapshotId, GitEndpoint target) {
    pushed.put(target.url(), refs(repository, snapshotId));
  }

  @Override
  public void forget(RepositoryKey repository, Collection<String> snapshotIds) {
    snapshotIds.forEach(snapshotsOf(repository)::remove);
  }

  @Override
  public void maintain(RepositoryKey repository) {
    maintenance.incrementAndGet();
  }

  private Map<String, List<SnapshotRef>> snapshotsOf(RepositoryKey repository) {
    return snapshots.computeIfAbsent(repository, key -> new ConcurrentHashMap<>());
  }
}
