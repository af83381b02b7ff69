package dev.bunker.azure;

import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.GitEndpoint;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.SnapshotCheck;
import dev.bunker.core.model.SnapshotRef;
import dev.bunker.core.model.SnapshotSummary;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceException.Reason;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.ConcurrentWriteException;
import dev.bunker.store.CorruptRepositoryException;
import dev.bunker.store.GitSource;
import dev.bunker.store.GitStore;
import dev.bunker.store.GitTarget;
import dev.bunker.store.MaintenanceOptions;
import dev.bunker.store.PushResult;
import dev.bunker.store.RemoteNotAllowedException;
import dev.bunker.store.RepositoryBusyException;
import dev.bunker.store.Snapshot;
import dev.bunker.store.SnapshotId;
import dev.bunker.store.SnapshotNotFoundException;
import dev.bunker.store.TransferException;
import dev.bunker.store.Verification;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/**
 * The domain's {@link RepositoryVault} over the blob-backed {@link GitStore}: each repository
 * lives under {@code orgs/<organizationId>/repos/<repositoryId>}; credentials reach git only as
 * HTTP headers, and only on the allow-list and the repository's host, redirects included.
 */
public final class GitStoreVault implements RepositoryVault {
  /** Refs Azure DevOps manages itself and refuses pushes to. */
  private static final String PULL_REQUEST_REFS = "refs/pull/";
  /** A restore's status names this many refused refs and counts the rest. */
  private static final int MAX_REFUSED_NAMED = 10;

  private final GitStore store;
  private final Function<GitCredential, Map<String, String>> gitHeaders;
  private final Predicate<URI> allowList;
  private final MaintenanceOptions maintenance;

  /**
   * @param gitHeaders the HTTP headers git sends for a credential (the Azure DevOps client's)
   * @param allowList the URLs git may send a request to (the Azure DevOps client's allow-list)
   */
  public GitStoreVault(GitStore store, Function<GitCredential, Map<String, String>> gitHeaders,
      Predicate<URI> allowList, MaintenanceOptions maintenance) {
    this.store = store;
    this.gitHeaders = gitHeaders;
    this.allowList = allowList;
    this.maintenance = maintenance;
  }

  /** Where a repository's blobs live in the backup container. */
  public static String key(RepositoryKey repository) {
    return "orgs/" + repository.organizationId() + "/repos/" + repository.repositoryId();
  }

  @Override
  public SnapshotSummary backup(RepositoryKey repository, String snapshotId, GitEndpoint source) {
    GitSource from = new GitSource(URI.create(source.url()), () -> gitHeaders.apply(source.credential()),
        allowList);
    Snapshot snapshot = guarded(() -> open(repository).backup(SnapshotId.parse(snapshotId), from), source);
    // the id the store made it under: a run's earlier id form when a retry finds it made already
    return new SnapshotSummary(snapshot.id().toString(), snapshot.refCount(), snapshot.headCommit(),
        snapshot.bytesAdded(),
        snapshot.objectsAdded(), snapshot.unchangedSince().map(SnapshotId::toString).orElse(null),
        Optional.ofNullable(snapshot.after()).map(SnapshotId::toString).orElse(null), snapshot.lfsFree(),
        snapshot.created());
  }

  @Override
  public List<SnapshotRef> refs(RepositoryKey repository, String snapshotId) {
    Snapshot snapshot = parse(snapshotId).flatMap(open(repository)::snapshot)
        .orElseThrow(() -> new NotFoundException("snapshot", snapshotId));
    return snapshot.refs().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(ref -> new SnapshotRef(ref.getKey(), ref.getValue()))
        .toList();
  }

  @Override
  public SnapshotCheck verify(RepositoryKey repository, String snapshotId, Optional<String> since) {
    SnapshotId id = parse(snapshotId).orElseThrow(() -> new NotFoundException("snapshot", snapshotId));
    Verification found;
    try {
      found = guarded(() -> open(repository).verify(id, since.flatMap(GitStoreVault::parse)), null);
    } catch (SnapshotNotFoundException e) {
      throw new NotFoundException("snapshot", snapshotId);
    } catch (CorruptRepositoryException e) {
      // the manifest or the snapshot's refs cannot be read: nothing of it can be restored
      return new SnapshotCheck(0, e.getMessage());
    }
    return new SnapshotCheck(found.objects(), found.problem().orElse(null));
  }

  @Override
  public void restore(RepositoryKey repository, String snapshotId, GitEndpoint target) {
    GitTarget to = new GitTarget(URI.create(target.url()), () -> gitHeaders.apply(target.credential()),
        ref -> !ref.startsWith(PULL_REQUEST_REFS), allowList);
    BackupRepository stored = open(repository);
    SnapshotId id = parse(snapshotId).filter(known -> stored.snapshot(known).isPresent())
        .orElseThrow(() -> new NotFoundException("snapshot", snapshotId));
    PushResult pushed = guarded(() -> stored.push(id, to), target);
    if (!pushed.succeeded()) {
      List<PushResult.RefPushed> refused = pushed.rejected();
      throw new SourceException(Reason.CONFLICT, "nothing in the target was overwritten; " + refused.size()
          + " ref(s) refused: " + refused.stream().limit(MAX_REFUSED_NAMED)
              .map(r -> r.ref() + (r.reason() == null ? "" : " (" + r.reason() + ")"))
              .collect(Collectors.joining(", "))
          + (refused.size() > MAX_REFUSED_NAMED ? " and " + (refused.size() - MAX_REFUSED_NAMED) + " more" : "")
          + "; restore into an empty or new repository");
    }
  }

  @Override
  public void forget(RepositoryKey repository, Collection<String> snapshotIds) {
    List<SnapshotId> ids = snapshotIds.stream().flatMap(id -> parse(id).stream()).toList();
    if (!ids.isEmpty()) {
      guarded(() -> {
        open(repository).deleteSnapshots(ids);
        return null;
      }, null);
    }
  }

  @Override
  public void maintain(RepositoryKey repository) {
    guarded(() -> open(repository).maintain(maintenance), null);
  }

  /** A snapshot id as the store spells it; empty for text that cannot name a snapshot. */
  private static Optional<SnapshotId> parse(String snapshotId) {
    try {
      return Optional.of(SnapshotId.parse(snapshotId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  BackupRepository open(RepositoryKey repository) {
    return store.repository(key(repository));
  }

  /** Runs a store call, turning its failures into the domain's: the remote's fault, or "try later". */
  private static <T> T guarded(java.util.function.Supplier<T> work, GitEndpoint remote) {
    try {
      return work.get();
    } catch (TransferException e) {
      throw new SourceException(reasonOf(e), redacted(e.getMessage(), remote), e);
    } catch (RepositoryBusyException | ConcurrentWriteException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  /** A 403 status in a transport message, not the digits of a port or a name in its URL. */
  private static final Pattern FORBIDDEN = Pattern.compile("(?<![\\w:./-])403(?!\\d)");

  /** What a failed fetch or push says about the remote, from JGit's transport errors. */
  static Reason reasonOf(TransferException e) {
    if (e instanceof RemoteNotAllowedException) {
      return Reason.URL_NOT_ALLOWED;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NoRemoteRepositoryException) {
        return Reason.NOT_FOUND;
      }
      String message = Objects.requireNonNullElse(t.getMessage(), "").toLowerCase(Locale.ROOT);
      if (message.contains("not authorized") || message.contains("authentication is required")) {
        return Reason.CREDENTIAL_NOT_ACCEPTED;
      }
      if (message.contains("not permitted") || FORBIDDEN.matcher(message).find()) {
        return Reason.ACCESS_DENIED;
      }
      if (message.contains("not found")) {
        return Reason.NOT_FOUND;
      }
    }
    return Reason.UNAVAILABLE;
  }

  private static String redacted(String message, GitEndpoint remote) {
    return remote == null ? message : remote.credential().token().redact(message);
  }
}
