package dev.bunker.core.organization;

import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.port.RepositoryRecords;
import dev.bunker.core.port.RunRecords;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a listing of an organization's repositories means for the catalogue: each listed one's
 * state under the policy, and those no longer listed deleted at the source. Registration lists
 * them, then each run's discovery. Until a run of the organization was discovered, each listing
 * counts as its first (see {@link #stateOf}): what the registration listed, and what appeared
 * before the first discovery, is decided by the policy as it stands at that discovery.
 */
public final class RepositoryStates {
  /** Runs looked at for one that was discovered: more than the runs whose discovery fails in a row. */
  private static final int RUNS_LOOKED_AT = 10;

  private final RepositoryRecords repositories;
  private final RunRecords runs;
  private final Clock clock;

  public RepositoryStates(RepositoryRecords repositories, RunRecords runs, Clock clock) {
    this.repositories = repositories;
    this.runs = runs;
    this.clock = clock;
  }

  /** Records every repository's state after this listing; returns the protected ones. */
  public List<Repository> record(Organization organization, List<SourceRepository> listing) {
    Instant now = clock.instant();
    Policy policy = organization.policy();
    Map<String, Repository> known = repositories.list(organization.id()).stream()
        .collect(Collectors.toMap(Repository::id, Function.identity()));
    boolean firstListing = known.isEmpty() || runs.newest(organization.id(), RUNS_LOOKED_AT).stream()
        .noneMatch(run -> run.discoveredAt() != null);
    List<Repository> changed = new ArrayList<>();
    List<Repository> protectedRepositories = new ArrayList<>();
    for (SourceRepository seen : listing) {
      Repository before = known.remove(seen.id());
      RepositoryState state = stateOf(seen, before, policy, firstListing);
      Repository after = new Repository(organization.id(), seen.id(), seen.projectId(), seen.project(), seen.name(),
          seen.kind(), state, seen.remoteUrl(), now,
          before == null ? null : before.lastSnapshotId(), before == null ? null : before.lastSnapshotAt(),
          before == null ? null : before.verifiedAt(), before == null ? null : before.damage(),
          before == null ? null : before.intactSnapshot());
      changed.add(after);
      if (state == RepositoryState.PROTECTED) {
        protectedRepositories.add(after);
      }
    }
    for (Repository gone : known.values()) {
      if (gone.state() != RepositoryState.DELETED_AT_SOURCE) {
        changed.add(gone.withState(RepositoryState.DELETED_AT_SOURCE, now));
      }
    }
    repositories.saveDiscovered(changed);
    return protectedRepositories;
  }

  /**
   * Disabled beats everything; then the policy's patterns. A repository the patterns allow is
   * protected when it already was, on the first listing, or when new repositories are added
   * automatically; otherwise it stays excluded until the policy says to add new ones.
   */
  static RepositoryState stateOf(SourceRepository seen, Repository before, Policy policy, boolean firstListing) {
    if (seen.disabled()) {
      return RepositoryState.DISABLED;
    }
    if (!policy.selects(seen.project(), seen.name(), seen.kind())) {
      return RepositoryState.EXCLUDED;
    }
    if (firstListing || policy.autoAddNewRepositories()) {
      return RepositoryState.PROTECTED;
    }
    return before == null || before.state() == RepositoryState.EXCLUDED ? RepositoryState.EXCLUDED
        : RepositoryState.PROTECTED;
  }
}
