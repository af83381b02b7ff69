package dev.bunker.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** Registering, listing and deleting organizations, and their policies. */
public final class Organizations {
  private static final Logger LOG = Logger.getLogger(Organizations.class.getName());

  private final OrganizationRecords records;
  private final Credentials credentials;
  private final SourceDirectory source;
  private final Clock clock;

  public Organizations(OrganizationRecords records, Credentials credentials, SourceDirectory source, Clock clock) {
    this.records = records;
    this.credentials = credentials;
    this.source = source;
    this.clock = clock;
  }

  /**
   * Checks the credential against the organization, then saves it (and an inline PAT as a new
   * credential). Nothing is stored when the check fails.
   */
  public Organization register(RegisterOrganization command) {
    Problems problems = new Problems();
    OrganizationAddress parsed = null;
    try {
      parsed = OrganizationAddress.parse("url", command.url());
    } catch (ValidationException e) {
      e.errors().forEach(error -> problems.add(error.field(), error.message()));
    }
    if ((command.credentialId() == null) == (command.pat() == null)) {
      problems.add("credentialId", "give either credentialId or pat");
    } else if (command.pat() != null) {
      problems.requireText("pat", command.pat(), Credentials.MAX_TOKEN);
      problems.checkText("username", command.username(), Credentials.MAX_NAME);
    } else {
      problems.requireText("credentialId", command.credentialId(), Credentials.MAX_NAME);
      if (command.username() != null) {
        problems.add("username", "goes with pat, not with credentialId");
      }
    }
    Policy policy = Policy.from(command.policy(), "policy.", problems);
    problems.throwIfAny();

    OrganizationAddress address = parsed;
    String id = address.organizationId();
    Optional<Versioned<Organization>> existing = records.find(id);
    if (existing.isPresent() && existing.get().value().isActive()) {
      throw new ConflictException("organization " + address.url() + " is already registered as '" + id + "'");
    }
    Credential stored = null;
    String credentialId = command.credentialId();
    GitCredential credential;
    if (credentialId != null) {
      if (credentials.find(credentialId).isEmpty()) {
        throw ValidationException.of("credentialId", "no credential with this id");
      }
      credential = credentials.unlock(credentialId);
    } else {
      credential = GitCredential.pat(command.username(), Secret.of(command.pat().strip()));
    }
    source.connect(new SourceAccess(address.url(), credential));
    Instant now = clock.instant();
    if (credentialId == null) {
      stored = credentials.storePat("PAT for " + address.url(), credential.token(), command.username(), now);
      credentialId = stored.id();
    } else {
      credentials.markValidated(credentialId, now);
    }
    CredentialKind auth = credentials.get(credentialId).kind();
    Organization organization = new Organization(id, address.url(), address.kind(), auth, credentialId, policy,
        policy.schedule().nextSlotAfter(now), existing.map(e -> e.value().createdAt()).orElse(now), now, null);
    try {
      if (existing.isPresent()) {
        records.replace(organization, existing.get().version());
      } else {
        records.insert(organization);
      }
    } catch (ConflictException e) {
      if (stored != null) {
        credentials.discard(stored);
      }
      throw new ConflictException("organization " + address.url() + " was registered concurrently as '" + id + "'");
    }
    LOG.info(() -> "registered organization " + id + " (" + address.kind() + ")");
    return organization;
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
