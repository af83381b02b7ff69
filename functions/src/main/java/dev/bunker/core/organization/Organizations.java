package dev.bunker.core.organization;

import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.OrganizationAddress;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.Problems;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.port.SourceDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/** Registering, listing and deleting organizations, and their policies. */
public final class Organizations {
  private static final Logger LOG = Logger.getLogger(Organizations.class.getName());

  private final OrganizationRecords records;
  private final Credentials credentials;
  private final SourceDirectory source;
  /**
   * How long a registration waits for the repositories to be listed: it runs inside an HTTP request,
   * which the front end cuts off after 230 s, after the credential's check (one call, like the
   * listing: each gives up within about 75 s, {@link SourceDirectory#withinRequest}). Past it, the
   * first run's discovery lists them.
   */
  public static final Duration LISTING_AT_REGISTRATION = Duration.ofSeconds(60);

  private final RepositoryStates repositoryStates;
  private final Clock clock;
  private final Duration listingBudget;

  public Organizations(OrganizationRecords records, Credentials credentials, SourceDirectory source,
      RepositoryStates repositoryStates, Clock clock) {
    this(records, credentials, source, repositoryStates, clock, LISTING_AT_REGISTRATION);
  }

  /** As above, waiting {@code listingBudget} for a registration's listing (tests). */
  public Organizations(OrganizationRecords records, Credentials credentials, SourceDirectory source,
      RepositoryStates repositoryStates, Clock clock, Duration listingBudget) {
    this.records = records;
    this.credentials = credentials;
    // every call here answers an HTTP request
    this.source = source.withinRequest();
    this.repositoryStates = repositoryStates;
    this.clock = clock;
    this.listingBudget = listingBudget;
  }

  /**
   * Checks the credential against the organization, then saves it (and an inline PAT as a
   * credential: the one the organization had before it was removed when that holds the same token,
   * else a new one), then lists its repositories into the catalogue, so that the first run sends
   * their backups at once as later runs do, rather than after its discovery's queue hop. Nothing
   * is stored when the check fails; a listing that fails is left to the first run's discovery.
   */
  public Organization register(RegisterOrganization command) {
    Checked checked = check(command);
    String id = checked.address().organizationId();
    Optional<Organization> registered = registered(checked.address());
    if (registered.isPresent()) {
      throw new ConflictException("organization " + checked.address().url() + " is already registered as '"
          + registered.get().id() + "' (" + registered.get().url() + ")");
    }
    Optional<Versioned<Organization>> existing = records.find(id);
    if (existing.isPresent() && existing.get().value().isActive()) {
      throw new ConflictException("organization " + checked.address().url() + " was registered concurrently as '"
          + id + "'");
    }
    GitCredential credential = command.credentialId() != null
        ? credentials.unlock(command.credentialId())
        : GitCredential.pat(command.username(), Secret.of(command.pat().strip()));
    source.connect(new SourceAccess(checked.address().url(), credential));

    Instant now = clock.instant();
    Optional<String> previousCredential = existing.map(previous -> previous.value().credentialId());
    Credential stored = command.credentialId() != null
        ? credentials.markValidated(command.credentialId(), now)
        : credentials.patFor(checked.address().url(), previousCredential, credential.token(), command.username(), now);
    boolean storedNow = command.credentialId() == null && !previousCredential.equals(Optional.of(stored.id()));
    Organization organization = new Organization(id, checked.address().url(), checked.address().kind(),
        stored.kind(), stored.id(), checked.policy(), checked.policy().schedule().nextSlotAfter(now),
        existing.map(e -> e.value().createdAt()).orElse(now), now, null);
    try {
      if (existing.isPresent()) {
        records.replace(organization, existing.get().version());
      } else {
        records.insert(organization);
      }
    } catch (ConflictException e) {
      if (storedNow) {
        credentials.discard(stored);
      }
      throw new ConflictException(
          "organization " + checked.address().url() + " was registered concurrently as '" + id + "'");
    }
    LOG.info(() -> "registered organization " + id + " (" + organization.kind() + ")");
    catalogueRepositories(organization, credential);
    return organization;
  }

  /**
   * Lists the repositories on a thread of its own for at most {@link #listingBudget}, interrupting
   * it past that, then records them here: a late listing records nothing, rather than part of it.
   * The listing is one call, which gives up within its limits even when the interrupt comes while
   * it reads the answer (the JDK's body stream does not stop for one), and the thread ends with it.
   */
  private void catalogueRepositories(Organization organization, GitCredential credential) {
    FutureTask<List<SourceRepository>> listing =
        new FutureTask<>(() -> source.repositories(new SourceAccess(organization.url(), credential)));
    Thread lister = new Thread(listing, "registration-listing");
    lister.setDaemon(true);
    lister.start();
    try {
      int protectedNow = repositoryStates.record(organization,
          listing.get(listingBudget.toMillis(), TimeUnit.MILLISECONDS)).size();
      LOG.info(() -> "organization " + organization.id() + ": " + protectedNow + " repositories protected");
    } catch (TimeoutException e) {
      listing.cancel(true);
      LOG.warning(() -> "organization " + organization.id() + ": repositories not listed within "
          + listingBudget.toSeconds() + " s of registration, the first run's discovery lists them");
    } catch (InterruptedException e) {
      listing.cancel(true);
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      Throwable failure = e instanceof ExecutionException ? e.getCause() : e;
      String reason = credential.token().redact(String.valueOf(failure.getMessage()));
      LOG.warning(() -> "organization " + organization.id() + ": repositories not listed at registration, the first"
          + " run's discovery lists them: " + reason);
    }
  }

  /**
   * The active organization at {@code address}, however either URL is spelled (ids come from the
   * spelling, and organizations registered before a spelling was made canonical keep theirs).
   */
  public Optional<Organization> registered(OrganizationAddress address) {
    return list().stream()
        .filter(organization -> OrganizationAddress.parse("url", organization.url()).sameOrganization(address))
        .findFirst();
  }

  /** A registration's parsed URL and validated policy. */
  private record Checked(OrganizationAddress address, Policy policy) {}

  /** Every field of the command, with all problems reported at once; the credential id must exist. */
  private Checked check(RegisterOrganization command) {
    Problems problems = new Problems();
    OrganizationAddress address = null;
    try {
      address = OrganizationAddress.parse("url", command.url());
    } catch (ValidationException e) {
      e.errors().forEach(error -> problems.add(error.field(), error.message()));
    }
    if ((command.credentialId() == null) == (command.pat() == null)) {
      problems.add("credentialId", "give either credentialId or pat");
    } else if (command.pat() != null) {
      problems.requireText("pat", command.pat(), Credentials.MAX_TOKEN);
      problems.checkText("username", command.username(), Credentials.MAX_NAME);
    } else if (command.username() != null) {
      problems.add("username", "goes with pat, not with credentialId");
    } else if (credentials.find(command.credentialId()).isEmpty()) {
      problems.add("credentialId", "no credential with this id");
    }
    Policy policy = Policy.from(command.policy(), "policy.", problems);
    problems.throwIfAny();
    return new Checked(address, policy);
  }

  public List<Organization> list() {
    return records.list().stream()
        .map(Versioned::value)
        .filter(Organization::isActive)
        .sorted(Comparator.comparing(Organization::createdAt))
        .toList();
  }

  /** An active organization; {@link NotFoundException} for unknown or deleted ones. */
  public Organization get(String id) {
    return find(id).value();
  }

  /** Stops scheduling; every backup, snapshot and run record is kept. */
  public void delete(String id) {
    Versioned<Organization> current = find(id);
    records.replace(current.value().deleted(clock.instant()), current.version());
    LOG.info(() -> "deleted organization " + id + "; its backups are kept");
  }

  /** A new OAuth sign-in renewed the organization's grant: it no longer needs consent. */
  public Organization renewConsent(String id) {
    Versioned<Organization> current = find(id);
    if (current.value().consentNeededSince() == null) {
      return current.value();
    }
    Organization renewed = current.value().consentRenewed(clock.instant());
    records.replace(renewed, current.version());
    LOG.info(() -> "organization " + id + " signed in again with OAuth");
    return renewed;
  }

  public Policy policy(String id) {
    return get(id).policy();
  }

  /** Replaces the policy (missing fields take their defaults) and reschedules from now. */
  public Policy replacePolicy(String id, PolicyInput input) {
    Policy policy = Policy.from(input);
    Versioned<Organization> current = find(id);
    records.replace(current.value().withPolicy(policy, clock.instant()), current.version());
    return policy;
  }

  private Versioned<Organization> find(String id) {
    return records.find(id)
        .filter(organization -> organization.value().isActive())
        .orElseThrow(() -> new NotFoundException("organization", id));
  }
}
