package dev.bunker.core.organization;

import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.CreateCredential;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Problems;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SecretNames;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.CredentialRecords;
import dev.bunker.core.port.OAuthTokens;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.port.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The "password manager": credentials whose secrets live in the {@link SecretStore} while the
 * catalog keeps only their names. One credential can serve several organizations.
 */
public final class Credentials {
  private static final Logger LOG = Logger.getLogger(Credentials.class.getName());
  static final int MAX_NAME = 100;
  static final int MAX_TOKEN = 1024;
  /** Key Vault's rule for secret names. */
  private static final Pattern SECRET_NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
  /** How the secrets Bunker stores for its credentials are named; the rest is the credential's id. */
  private static final String STORED_SECRET_PREFIX = "bunker-credential-";

  private final CredentialRecords records;
  private final OrganizationRecords organizations;
  private final SecretStore secrets;
  private final OAuthTokens oauth;
  private final Clock clock;
  private final RandomIds ids;
  private final Set<String> ownSecretNames;

  /**
   * @param ownSecretNames the secrets Bunker keeps for itself (the OAuth client secret, the
   *     state-signing key), which no credential may name
   */
  public Credentials(
      CredentialRecords records,
      OrganizationRecords organizations,
      SecretStore secrets,
      OAuthTokens oauth,
      Clock clock,
      RandomIds ids,
      Set<String> ownSecretNames) {
    this.records = records;
    this.organizations = organizations;
    this.secrets = secrets;
    this.oauth = oauth;
    this.clock = clock;
    this.ids = ids;
    // Key Vault secret names are case-insensitive
    this.ownSecretNames =
        ownSecretNames.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  public Credential create(CreateCredential command) {
    Problems problems = new Problems();
    problems.requireText("name", command.name(), MAX_NAME);
    boolean hasToken = command.token() != null;
    boolean hasReference = command.keyVaultSecretName() != null;
    if (hasToken == hasReference) {
      problems.add("token", "give either token or keyVaultSecretName");
    } else if (hasToken) {
      problems.requireText("token", command.token(), MAX_TOKEN);
      problems.checkText("username", command.username(), MAX_NAME);
    } else if (!SECRET_NAME.matcher(command.keyVaultSecretName()).matches()) {
      problems.add("keyVaultSecretName", "must be a Key Vault secret name (letters, digits and dashes, at most 127)");
    } else if (isBunkersOwn(command.keyVaultSecretName())) {
      problems.add("keyVaultSecretName", "names a secret Bunker keeps for itself; reference a secret holding a PAT");
    } else if (command.username() != null) {
      problems.add("username", "goes with token, not with keyVaultSecretName");
    }
    problems.throwIfAny();
    if (hasToken) {
      return storePat(command.name().strip(), Secret.of(command.token().strip()), command.username(), null);
    }
    if (secrets.get(command.keyVaultSecretName()).isEmpty()) {
      throw ValidationException.of("keyVaultSecretName", "no secret with this name in Key Vault");
    }
    Credential credential = new Credential(ids.hex(12), command.name().strip(), CredentialKind.KEY_VAULT_SECRET,
        command.keyVaultSecretName(), null, clock.instant(), null);
    records.insert(credential);
    return credential;
  }

  /**
   * Whether {@code secretName} is one of Bunker's own secrets or one it stores for a credential (a
   * reference to it would send a signing key, a webhook URL or a refresh token as a PAT, and break when its
   * credential is deleted).
   */
  private boolean isBunkersOwn(String secretName) {
    String name = secretName.toLowerCase(Locale.ROOT);
    return ownSecretNames.contains(name) || name.startsWith(STORED_SECRET_PREFIX)
        || name.startsWith(SecretNames.WEBHOOK_PREFIX);
  }

  /** Records that an organization accepted the credential just now; returns it. */
  Credential markValidated(String id, Instant when) {
    Credential validated = get(id).validatedAt(when);
    records.update(validated);
    return validated;
  }

  /**
   * Stores the refresh token of an OAuth grant (from the Entra ID callback) as a credential; an
   * organization registered with it gets fresh access tokens through {@link OAuthTokens}.
   */
  public Credential storeOAuthGrant(String name, Secret refreshToken) {
    Problems problems = new Problems();
    problems.requireText("name", name, MAX_NAME);
    problems.throwIfAny();
    return store(name.strip(), CredentialKind.OAUTH, refreshToken, null, null);
  }

  /**
   * The credential for a token {@code organizationUrl} accepted at {@code now}: {@code previousId}
   * (the credential the organization had before it was removed) when that one holds the same token
   * and username, so removing and connecting again adds no second copy; otherwise a new one, named
   * for the organization and the day (numbered after the first of a day) so that several stay
   * apart. The token is compared with the stored secret in constant time and kept nowhere else.
   */
  Credential patFor(String organizationUrl, Optional<String> previousId, Secret token, String username, Instant now) {
    Optional<Credential> same = previousId.flatMap(this::find)
        .filter(previous -> previous.kind() == CredentialKind.PAT)
        .filter(previous -> Objects.equals(user(previous.username()), user(username)))
        .filter(previous -> secrets.get(previous.secretName())
            .map(stored -> MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8)))
            .orElse(false));
    if (same.isPresent()) {
      return markValidated(same.get().id(), now);
    }
    String day = DateTimeFormatter.ISO_LOCAL_DATE.format(now.atZone(ZoneOffset.UTC));
    String name = "PAT for " + organizationUrl + " (added " + day;
    Set<String> taken = records.list().stream().map(Credential::name).collect(Collectors.toSet());
    String distinct = name + ")";
    for (int n = 2; taken.contains(distinct); n++) {
      distinct = name + ", " + n + ")";
    }
    return storePat(distinct, token, username, now);
  }

  /** A username as git sends it: none and blank are the same. */
  private static String user(String username) {
    return username == null ? "" : username.strip();
  }

  /**
   * Stores a PAT under a name Bunker chooses, then records the credential; {@code validatedAt} is
   * when an organization accepted it, if one has.
   */
  Credential storePat(String name, Secret token, String username, Instant validatedAt) {
    return store(name, CredentialKind.PAT, token, username, validatedAt);
  }

  private Credential store(String name, CredentialKind kind, Secret secret, String username, Instant validatedAt) {
    String id = ids.hex(12);
    String secretName = STORED_SECRET_PREFIX + id;
    secrets.put(secretName, secret.reveal());
    Credential credential = new Credential(id, name, kind, secretName, username, clock.instant(), validatedAt);
    try {
      records.insert(credential);
    } catch (RuntimeException e) {
      secrets.delete(secretName);
      throw e;
    }
    return credential;
  }

  public List<Credential> list() {
    return records.list().stream().sorted(Comparator.comparing(Credential::createdAt)).toList();
  }

  public Credential get(String id) {
    return find(id).orElseThrow(() -> new NotFoundException("credential", id));
  }

  public Optional<Credential> find(String id) {
    return records.find(id);
  }

  /** Deletes the credential and, when Bunker stored it, its secret; {@link ConflictException} while an organization uses it. */
  public void delete(String id) {
    Credential credential = get(id);
    List<String> users = organizations.list().stream()
        .map(Versioned::value)
        .filter(organization -> organization.isActive() && id.equals(organization.credentialId()))
        .map(Organization::id)
        .toList();
    if (!users.isEmpty()) {
      throw new ConflictException("credential '" + id + "' is used by organization(s) " + String.join(", ", users));
    }
    records.delete(id);
    if (credential.kind() != CredentialKind.KEY_VAULT_SECRET) {
      secrets.delete(credential.secretName());
    }
  }

  /** The credential's secret, ready to send; {@link SourceException} when it cannot be had. */
  public GitCredential unlock(String id) {
    Credential credential = get(id);
    if (credential.kind() == CredentialKind.OAUTH) {
      try {
        return GitCredential.bearer(oauth.accessToken(credential.secretName()));
      } catch (SourceException e) {
        if (e.reason() == SourceException.Reason.CREDENTIAL_NOT_ACCEPTED) {
          markConsentNeeded(id);
        }
        throw e;
      }
    }
    String token = secrets.get(credential.secretName())
        .orElseThrow(() -> new SourceException(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED,
            "the secret of credential '" + id + "' (" + credential.secretName()
                + ") is missing from the secret store"));
    return GitCredential.pat(credential.username(), Secret.of(token));
  }

  /** The grant behind an OAuth credential is gone: every organization using it needs a new sign-in. */
  private void markConsentNeeded(String credentialId) {
    Instant now = clock.instant();
    for (Versioned<Organization> current : organizations.list()) {
      Organization organization = current.value();
      if (organization.isActive() && credentialId.equals(organization.credentialId())
          && organization.consentNeededSince() == null) {
        try {
          organizations.replace(organization.consentNeeded(now), current.version());
          LOG.warning(() -> "organization " + organization.id()
              + " needs a new OAuth sign-in: its grant was revoked or expired");
          Signal.CONSENT_LOST.emit(Map.of("organizationId", organization.id()),
              "its OAuth grant was revoked or expired; an administrator must sign in again");
        } catch (StaleVersionException e) {
          // updated meanwhile; the next use of the grant marks it again
        }
      }
    }
  }

  /** Deletes a credential nothing refers to yet (registration that lost a race). */
  void discard(Credential credential) {
    records.delete(credential.id());
    secrets.delete(credential.secretName());
  }
}
