package dev.bunker.core.memory;

import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.Restore;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunEnded;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.CredentialRecords;
import dev.bunker.core.port.MetadataRestoreRecords;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.port.RepositoryRecords;
import dev.bunker.core.port.RestoreRecords;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.port.SnapshotRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** The catalog in memory, for fast domain tests; passes the same contract as the Tables catalog. */
public final class InMemoryCatalog {
  private InMemoryCatalog() {}

  public static Catalog create() {
    return new Catalog(new Organizations(), new Credentials(), new Repositories(), new Runs(), new Snapshots(),
        new Restores(), new MetadataRestores());
  }

  private static final class Organizations implements OrganizationRecords {
    private final Map<String, Versioned<Organization>> rows = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public Versioned<Organization> insert(Organization organization) {
      Versioned<Organization> row = new Versioned<>(organization, nextVersion());
      if (rows.putIfAbsent(organization.id(), row) != null) {
        throw new ConflictException("organization '" + organization.id() + "' exists");
      }
      return row;
    }

    @Override
    public Optional<Versioned<Organization>> find(String id) {
      return Optional.ofNullable(rows.get(id));
    }

    @Override
    public List<Versioned<Organization>> list() {
      return List.copyOf(rows.values());
    }

    @Override
    public Versioned<Organization> replace(Organization organization, String expectedVersion) {
      Versioned<Organization> row = new Versioned<>(organization, nextVersion());
      Versioned<Organization> current = rows.get(organization.id());
      if (current == null || !current.version().equals(expectedVersion)
          || !rows.replace(organization.id(), current, row)) {
        throw new StaleVersionException("organization", organization.id());
      }
      return row;
    }

    private String nextVersion() {
      return "v" + versions.incrementAndGet();
    }
  }

  private static final class Credentials implements CredentialRecords {
    private final Map<String, Credential> rows = new ConcurrentHashMap<>();

    @Override
    public void insert(Credential credential) {
      if (rows.putIfAbsent(credential.id(), credential) != null) {
        throw new ConflictException("credential '" + credential.id() + "' exists");
      }
    }

    @Override
    public Optional<Credential> find(String id) {
      return Optional.ofNullable(rows.get(id));
    }

    @Override
    public List<Credential> list() {
      return List.copyOf(rows.values());
    }

    @Override
    public void update(Credential credential) {
      rows.put(credential.id(), credential);
    }

    @Override
    public void delete(String id) {
      rows.remove(id);
    }
  }

  private static final class Repositories implements RepositoryRecords {
    private final Map<RepositoryKey, Repository> rows = new ConcurrentHashMap<>();

    @Override
    public List<Repository> list(String organizationId) {
      return rows.values().stream().filter(r -> r.organizationId().equals(organizationId)).toList();
    }

    @Override
    public Optional<Repository> find(String organizationId, String repositoryId) {
      return Optional.ofNullable(rows.get(new RepositoryKey(organizationId, repositoryId)));
    }

    @Override
    public void saveDiscovered(Collection<Repository> repositories) {
      for (Repository seen : repositories) {
        rows.merge(seen.key(), seen, (before, after) -> new Repository(after.organizationId(), after.id(),
            after.projectId(), after.project(), after.name(), after.kind(), after.state(), after.remoteUrl(),
            after.discoveredAt(), before.lastSnapshotId(), before.lastSnapshotAt(), before.verifiedAt(),
            before.damage(), before.intactSnapshot()));
      }
    }

    @Override
    public void recordSnapshot(RepositoryKey key, String snapshotId, Instant takenAt, IntactSnapshot intact) {
      rows.computeIfPresent(key, (k, r) -> new Repository(r.organizationId(), r.id(), r.projectId(), r.project(),
          r.name(), r.kind(), r.state(), r.remoteUrl(), r.discoveredAt(), snapshotId, takenAt, r.verifiedAt(),
          r.damage(), intact == null ? r.intactSnapshot() : intact));
    }

    @Override
    public void recordVerification(RepositoryKey key, Instant verifiedAt, String damage, IntactSnapshot newestIntact) {
      rows.computeIfPresent(key, (k, r) -> new Repository(r.organizationId(), r.id(), r.projectId(), r.project(),
          r.name(), r.kind(), r.state(), r.remoteUrl(), r.discoveredAt(), r.lastSnapshotId(), r.lastSnapshotAt(),
          verifiedAt, damage, newestIntact));
    }
  }

  private static final class Runs implements RunRecords {
    private final Map<String, ConcurrentSkipListMap<String, Run>> runs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, RepositoryResult>> results = new ConcurrentHashMap<>();

    @Override
    public boolean createIfAbsent(Run run) {
      return partition(run.organizationId()).putIfAbsent(run.id(), run) == null;
    }

    @Override
    public Optional<Run> find(String organizationId, String runId) {
      return Optional.ofNullable(partition(organizationId).get(runId));
    }

    @Override
    public void update(Run run) {
      partition(run.organizationId()).put(run.id(), run);
    }

    @Override
    public void recordEnd(String organizationId, String runId, RunEnded ended) {
      partition(organizationId).computeIfPresent(runId, (id, run) -> run.withEnded(ended));
    }

    @Override
    public List<Run> newest(String organizationId, int top) {
      return partition(organizationId).values().stream().limit(top).toList();
    }

    @Override
    public void addResultsIfAbsent(Collection<RepositoryResult> added) {
      added.forEach(result -> resultsOf(result.runId()).putIfAbsent(result.repositoryId(), result));
    }

    @Override
    public Optional<RepositoryResult> result(String runId, String repositoryId) {
      return Optional.ofNullable(resultsOf(runId).get(repositoryId));
    }

    @Override
    public void saveResult(RepositoryResult result) {
      resultsOf(result.runId()).put(result.repositoryId(), result);
    }

    @Override
    public List<RepositoryResult> results(String runId) {
      List<RepositoryResult> list = new ArrayList<>(resultsOf(runId).values());
      list.sort(Comparator.comparing(RepositoryResult::repositoryId));
      return list;
    }

    @Override
    public List<RepositoryResult> inFlight(String runId, Instant unsentBefore) {
      return results(runId).stream()
          .filter(result -> result.isInFlight() && !result.awaitsDispatch(unsentBefore)).toList();
    }

    @Override
    public List<RepositoryResult> awaitingDispatch(String runId, Instant unsentBefore, int top) {
      return results(runId).stream().filter(result -> result.awaitsDispatch(unsentBefore)).limit(top).toList();
    }

    @Override
    public boolean allFinished(String runId) {
      return resultsOf(runId).values().stream().allMatch(result -> result.status().isFinished());
    }

    @Override
    public boolean claimDispatch(String runId, String repositoryId, Instant now, Instant unsentBefore) {
      Map<String, RepositoryResult> rows = resultsOf(runId);
      while (true) {
        RepositoryResult current = rows.get(repositoryId);
        if (current == null || !current.awaitsDispatch(unsentBefore)) {
          return false;
        }
        if (rows.replace(repositoryId, current, current.dispatched(now))) {
          return true;
        }
      }
    }

    @Override
    public boolean withdraw(String runId, String repositoryId) {
      Map<String, RepositoryResult> rows = resultsOf(runId);
      while (true) {
        RepositoryResult current = rows.get(repositoryId);
        if (current == null || !current.isWithdrawable()) {
          return false;
        }
        if (rows.remove(repositoryId, current)) {
          return true;
        }
      }
    }

    private ConcurrentSkipListMap<String, Run> partition(String organizationId) {
      return runs.computeIfAbsent(organizationId, id -> new ConcurrentSkipListMap<>());
    }

    private Map<String, RepositoryResult> resultsOf(String runId) {
      return results.computeIfAbsent(runId, id -> new ConcurrentHashMap<>());
    }
  }

  private static final class Snapshots implements SnapshotRecords {
    private final Map<RepositoryKey, ConcurrentSkipListMap<String, Snapshot>> rows = new ConcurrentHashMap<>();

    @Override
    public void save(Snapshot snapshot) {
      // as the table's merge: a redelivered backup keeps what a verification recorded
      partition(snapshot.repositoryKey()).merge(snapshot.id(), snapshot, (before, after) -> after.verifiedAt() != null
          ? after : after.verified(before.verifiedAt(), before.verifyError()));
    }

    @Override
    public void recordVerification(RepositoryKey repository, String snapshotId, Instant verifiedAt,
        String verifyError) {
      partition(repository).computeIfPresent(snapshotId, (id, s) -> s.verified(verifiedAt, verifyError));
    }

    @Override
    public List<Snapshot> list(RepositoryKey repository) {
      return List.copyOf(partition(repository).descendingMap().values());
    }

    @Override
    public Optional<Snapshot> find(RepositoryKey repository, String snapshotId) {
      return Optional.ofNullable(partition(repository).get(snapshotId));
    }

    @Override
    public void delete(RepositoryKey repository, String snapshotId) {
      partition(repository).remove(snapshotId);
    }

    private ConcurrentSkipListMap<String, Snapshot> partition(RepositoryKey key) {
      return rows.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>());
    }
  }

  private static final class Restores implements RestoreRecords {
    private final Map<String, Restore> rows = new ConcurrentHashMap<>();

    @Override
    public void insert(Restore restore) {
      if (rows.putIfAbsent(restore.organizationId() + "/" + restore.id(), restore) != null) {
        throw new ConflictException("restore '" + restore.id() + "' exists");
      }
    }

    @Override
    public Optional<Restore> find(String organizationId, String restoreId) {
      return Optional.ofNullable(rows.get(organizationId + "/" + restoreId));
    }

    @Override
    public void update(Restore restore) {
      rows.put(restore.organizationId() + "/" + restore.id(), restore);
    }
  }

  private static final class MetadataRestores implements MetadataRestoreRecords {
    private final Map<String, MetadataRestoreJob> rows = new ConcurrentHashMap<>();

    @Override
    public void insert(MetadataRestoreJob restore) {
      if (rows.putIfAbsent(restore.organizationId() + "/" + restore.id(), restore) != null) {
        throw new ConflictException("metadata restore '" + restore.id() + "' exists");
      }
    }

    @Override
    public Optional<MetadataRestoreJob> find(String organizationId, String restoreId) {
      return Optional.ofNullable(rows.get(organizationId + "/" + restoreId));
    }

    @Override
    public Optional<MetadataRestoreJob> claim(String organizationId, String restoreId, String claimant, Instant now,
        Instant until) {
      String key = organizationId + "/" + restoreId;
      while (true) {
        MetadataRestoreJob current = rows.get(key);
        if (current == null || current.status().isFinished() || current.isClaimedAt(now)) {
          return Optional.empty();
        }
        MetadataRestoreJob claimed = current.claimed(claimant, until);
        if (rows.replace(key, current, claimed)) {
          return Optional.of(claimed);
        }
      }
    }

    @Override
    public boolean updateClaimed(MetadataRestoreJob restore, String claimant) {
      String key = restore.organizationId() + "/" + restore.id();
      while (true) {
        MetadataRestoreJob current = rows.get(key);
        if (current == null || !claimant.equals(current.claimedBy())) {
          return false;
        }
        if (rows.replace(key, current, restore)) {
          return true;
        }
      }
    }
  }
}
