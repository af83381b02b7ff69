package dev.bunker.core.memory;

import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceException.Reason;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.port.SourceDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Azure DevOps organizations in memory: each accepts one token and has projects with repositories.
 * URLs outside {@code https://dev.azure.com/} and the given extra prefixes are refused, as the real
 * allow-list does.
 */
public final class InMemorySourceDirectory implements SourceDirectory {
  private final Map<String, Org> organizations = new ConcurrentHashMap<>();
  private final List<String> allowedPrefixes = new CopyOnWriteArrayList<>(List.of("https://dev.azure.com/"));
  private final AtomicInteger outages = new AtomicInteger();
  private final AtomicInteger listingOutages = new AtomicInteger();
  private final AtomicInteger listingStalls = new AtomicInteger();
  private final CountDownLatch stalledListingStopped = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();

  private record Org(String token, List<SourceRepository> repositories) {}

  public InMemorySourceDirectory allow(String prefix) {
    allowedPrefixes.add(prefix);
    return this;
  }

  /** Adds an organization that accepts exactly {@code token}. */
  public InMemorySourceDirectory organization(String url, String token) {
    organizations.put(url, new Org(token, new CopyOnWriteArrayList<>()));
    return this;
  }

  public SourceRepository addRepository(String url, String project, String name, RepositoryKind kind) {
    SourceRepository repository = new SourceRepository(
        "repo-" + project.toLowerCase(Locale.ROOT) + "-" + name.toLowerCase(Locale.ROOT), "project-" + project,
        project, name, kind, url + "/" + project + "/_git/" + name, false, false, null);
    org(url).repositories().add(repository);
    return repository;
  }

  public void replace(String url, SourceRepository before, SourceRepository after) {
    List<SourceRepository> repositories = org(url).repositories();
    repositories.set(repositories.indexOf(before), after);
  }

  public void remove(String url, SourceRepository repository) {
    org(url).repositories().remove(repository);
  }

  /** The next {@code count} calls fail as if the service were down. */
  public void failNextCalls(int count) {
    outages.set(count);
  }

  /** The next {@code count} listings of repositories fail as if the service were down. */
  public void failNextListings(int count) {
    listingOutages.set(count);
  }

  /**
   * The next {@code count} listings wait until their thread is interrupted, as one waiting out
   * Azure DevOps' {@code Retry-After} pauses does, and then fail as the client does.
   */
  public void stallNextListings(int count) {
    listingStalls.set(count);
  }

  /** Whether a stalled listing was stopped by an interrupt within {@code timeout}. */
  public boolean stalledListingStopped(Duration timeout) throws InterruptedException {
    return stalledListingStopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public void connect(SourceAccess access) {
    check(access);
  }

  @Override
  public List<SourceRepository> repositories(SourceAccess access) {
    Org org = check(access);
    if (listingOutages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SourceException(Reason.UNAVAILABLE, access.organizationUrl() + " answered 503");
    }
    if (listingStalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stalledListingStopped.countDown();
        throw new SourceException(Reason.UNAVAILABLE, "interrupted while waiting to call " + access.organizationUrl());
      }
    }
    return new ArrayList<>(org.repositories());
  }

  @Override
  public Optional<SourceRepository> findRepository(SourceAccess access, String project, String name) {
    return check(access).repositories().stream()
        .filter(r -> r.project().equalsIgnoreCase(project) && r.name().equalsIgnoreCase(name))
        .findFirst();
  }

  @Override
  public SourceRepository createRepository(SourceAccess access, String project, String name) {
    if (findRepository(access, project, name).isPresent()) {
      throw new SourceException(Reason.CONFLICT, "repository " + project + "/" + name + " exists");
    }
    SourceRepository created = addRepository(access.organizationUrl(), project, name, RepositoryKind.GIT);
    SourceRepository empty = new SourceRepository(created.id(), created.projectId(), project, name,
        RepositoryKind.GIT, created.remoteUrl(), false, true, null);
    replace(access.organizationUrl(), created, empty);
    return empty;
  }

  private Org check(SourceAccess access) {
    calls.incrementAndGet();
    String url = access.organizationUrl();
    if (allowedPrefixes.stream().noneMatch(prefix -> (url + "/").startsWith(prefix))) {
      throw new SourceException(Reason.URL_NOT_ALLOWED, url + " is not on the allow-list");
    }
    if (outages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SourceException(Reason.UNAVAILABLE, url + " answered 503");
    }
    Org org = organizations.get(url);
    if (org == null) {
      throw new SourceException(Reason.NOT_FOUND, "no organization at " + url);
    }
    if (!org.token().equals(access.credential().token().reveal())) {
      throw new SourceException(Reason.CREDENTIAL_NOT_ACCEPTED, url + " did not accept the credential");
    }
    return org;
  }

  private Org org(String url) {
    Org org = organizations.get(url);
    if (org == null) {
      throw new IllegalArgumentException("no organization " + url);
    }
    return org;
  }
}
