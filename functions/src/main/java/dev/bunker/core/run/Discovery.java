package dev.bunker.core.run;

import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.notify.Notifications;
import dev.bunker.core.organization.Credentials;
import dev.bunker.core.organization.RepositoryStates;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.core.port.SourceDirectory;
import dev.bunker.metadata.ProjectRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The {@code discover} worker: lists an organization's repositories and wikis, decides which ones
 * the policy protects, records what changed, writes the run and its queued results, and enqueues
 * one backup per protected repository, and one per selected project's metadata when the policy
 * includes metadata, at most the policy's concurrency at a time. A repository whose clone URL
 * cannot be used fails on its own, with why, at once; the others are backed up. The run's start
 * may have queued the known repositories' backups already ({@link RunStart}): those the listing
 * still asks for are kept (never added twice), the others taken back unless they started, and only
 * what is new is added. A run ends only once discovered: if the backups sent before all finished,
 * this is where the end is seen. A redelivered message re-sends the backups in flight and changes
 * nothing else.
 */
public final class Discovery {
  private static final Logger LOG = Logger.getLogger(Discovery.class.getName());

  private final Catalog catalog;
  private final Credentials credentials;
  private final SourceDirectory source;
  private final MetadataDirectory metadata;
  private final BackupDispatcher dispatcher;
  private final RunEnd ends;
  private final Notifications notifications;
  private final RepositoryStates repositoryStates;
  private final Clock clock;
  private final int maxAttempts;

  public Discovery(Catalog catalog, Credentials credentials, SourceDirectory source, MetadataDirectory metadata,
      BackupDispatcher dispatcher, Notifications notifications, Clock clock, int maxAttempts) {
    this.catalog = catalog;
    this.repositoryStates = new RepositoryStates(catalog.repositories(), catalog.runs(), clock);
    this.credentials = credentials;
    this.source = source;
    this.metadata = metadata;
    this.dispatcher = dispatcher;
    this.ends = new RunEnd(catalog.runs());
    this.notifications = notifications;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  public void discover(WorkItem.Discover work, long attempt) {
    Optional<Organization> found = catalog.organizations().find(work.organizationId())
        .map(Versioned::value).filter(Organization::isActive);
    if (found.isEmpty()) {
      LOG.info(() -> "run " + work.runId() + ": organization " + work.organizationId() + " is gone; nothing to do");
      withdrawUnlisted(work.runId(), List.of());
      return;
    }
    Organization organization = found.get();
    // the run's start recorded it; a discovery sent without one (from an older version) records it
    Run run = catalog.runs().find(organization.id(), work.runId()).orElseGet(() -> {
      catalog.runs().createIfAbsent(
          Run.queued(organization.id(), work.runId(), work.trigger(), work.slot(), RunSelection.EVERYTHING));
      return catalog.runs().find(organization.id(), work.runId()).orElseThrow();
    });
    if (run.discoveredAt() != null || run.error() != null) {
      dispatcher.resend(run);
      dispatcher.fill(run.organizationId(), run.id(), organization.policy().concurrency());
      notifications.runChanged(organization.id(), run.id());
      return;
    }
    GitCredential credential = null;
    List<SourceRepository> listing;
    try {
      credential = credentials.unlock(organization.credentialId());
      listing = source.repositories(new SourceAccess(organization.url(), credential));
    } catch (SourceException e) {
      String reason = credential == null ? e.getMessage() : credential.token().redact(e.getMessage());
      if (e.isTransient() && attempt < maxAttempts) {
        throw e;
      }
      withdrawUnlisted(run.id(), List.of());
      catalog.runs().update(run.failed(clock.instant(), "listing repositories failed: " + reason));
      LOG.warning(() -> "run " + run.id() + ": listing repositories failed: " + reason);
      Map<String, String> ids = Map.of("organizationId", organization.id(), "runId", run.id());
      if (e.reason() == SourceException.Reason.CREDENTIAL_NOT_ACCEPTED) {
        Signal.CREDENTIAL_REJECTED.emit(ids, reason);
      }
      Signal.RUN_FAILED.emit(ids, "listing repositories failed: " + reason);
      notifications.runChanged(organization.id(), run.id());
      return;
    }
    List<Repository> protectedRepositories = repositoryStates.record(organization, listing);
    List<Repository> targets = protectedRepositories.stream().filter(run.selection()::selects).toList();
    Map<String, String> unusable = listing.stream().filter(r -> r.unusableBecause() != null)
        .collect(Collectors.toMap(SourceRepository::id, SourceRepository::unusableBecause, (a, b) -> a));
    List<RepositoryResult> results = new ArrayList<>(
        targets.stream().map(r -> resultOf(run, r, unusable.get(r.id()))).toList());
    results.addAll(metadataResults(organization, run, credential, listing));
    Set<String> kept = withdrawUnlisted(run.id(), results);
    // only what the start did not add: adding an existing result costs a failed write each
    catalog.runs()
        .addResultsIfAbsent(results.stream().filter(result -> !kept.contains(result.repositoryId())).toList());
    Run discovered = run.discovered(clock.instant(), targets.size());
    catalog.runs().update(discovered);
    dispatcher.fill(discovered.organizationId(), discovered.id(), organization.policy().concurrency());
    // a run whose every repository failed at once, that has none, or whose backups sent before
    // discovery have all finished, has already ended
    ends.signalIfEnded(organization.id(), run.id());
    notifications.runChanged(organization.id(), run.id());
    LOG.info(() -> "run " + run.id() + " of organization " + organization.id() + ": " + targets.size()
        + " repositories queued of " + listing.size() + " at the source, " + (results.size() - targets.size())
        + " projects' metadata");
  }

  /**
   * Takes back the backups the run's start queued from the catalog that this listing does not queue
   * as they are (a repository gone, disabled, excluded, renamed or now unreachable; none when the
   * listing failed or the organization is gone); those running or done stay as they are. Reads the
   * run's results once (a run not started early has none yet); answers the ids of those kept.
   */
  private Set<String> withdrawUnlisted(String runId, List<RepositoryResult> wanted) {
    Set<List<String>> queued = wanted.stream().filter(result -> result.status() == ResultStatus.QUEUED)
        .map(Discovery::identity).collect(Collectors.toSet());
    Set<String> kept = new HashSet<>();
    for (RepositoryResult early : catalog.runs().results(runId)) {
      if (!queued.contains(identity(early)) && catalog.runs().withdraw(runId, early.repositoryId())) {
        LOG.info(() -> "run " + runId + ": backup of " + early.project() + "/" + early.repository()
            + " queued from the catalog is taken back: the listing does not ask for it");
      } else {
        kept.add(early.repositoryId());
      }
    }
    return kept;
  }

  /** What a result names: the same repository under the same project and name. */
  private static List<String> identity(RepositoryResult result) {
    return Arrays.asList(result.repositoryId(), result.project(), result.repository());
  }

  /** Queued, or failed at once when git cannot reach the repository ({@code unusableBecause} says why). */
  private RepositoryResult resultOf(Run run, Repository repository, String unusableBecause) {
    RepositoryResult queued = RepositoryResult.queued(run.id(), repository);
    if (unusableBecause == null) {
      return queued;
    }
    LOG.warning(() -> "run " + run.id() + ": repository " + repository.project() + "/" + repository.name()
        + " cannot be backed up: " + unusableBecause);
    return queued.failed(clock.instant(), unusableBecause);
  }

  /**
   * A metadata backup per project the policy and the run select, and one of the organization's own
   * (projects, users and groups, extensions, pools, feeds) unless the run is narrowed or there are
   * no projects. When projects cannot be listed, those of the repository listing are taken: the
   * repositories' backups go on regardless.
   */
  private List<RepositoryResult> metadataResults(Organization organization, Run run, GitCredential credential,
      List<SourceRepository> listing) {
    if (!organization.policy().includeMetadata()) {
      return List.of();
    }
    Map<String, String> projects = new TreeMap<>();
    try {
      metadata.projects(new SourceAccess(organization.url(), credential))
          .forEach(project -> projects.put(project.id(), project.name()));
    } catch (SourceException e) {
      String reason = credential.token().redact(e.getMessage());
      LOG.warning(() -> "run " + run.id() + ": listing projects failed, backing up the metadata of projects with"
          + " repositories: " + reason);
      listing.forEach(repository -> projects.putIfAbsent(repository.projectId(), repository.project()));
    }
    List<RepositoryResult> results = new ArrayList<>(projects.entrySet().stream()
        .filter(project -> organization.policy().selectsMetadataOf(project.getValue())
            && run.selection().selectsMetadataOf(project.getValue()))
        .map(project -> RepositoryResult.queuedMetadata(run.id(), organization.id(), project.getKey(),
            project.getValue()))
        .toList());
    // Beside its projects: an organization without any has nothing else Bunker backs up either.
    if (run.selection().selectsOrganizationMetadata() && !projects.isEmpty()) {
      results.add(RepositoryResult.queuedMetadata(run.id(), organization.id(), ProjectRef.ORGANIZATION.id(),
          ProjectRef.ORGANIZATION.name()));
    }
    return results;
  }

  /** A discovery whose every delivery died: the run fails, saying so. */
  public void giveUp(WorkItem.Discover work) {
    catalog.runs().find(work.organizationId(), work.runId())
        .filter(run -> run.discoveredAt() == null && run.error() == null)
        .ifPresent(run -> {
          withdrawUnlisted(run.id(), List.of());
          catalog.runs().update(
              run.failed(clock.instant(), "listing repositories gave up after " + maxAttempts + " attempts"));
          notifications.runChanged(run.organizationId(), run.id());
        });
  }
}
