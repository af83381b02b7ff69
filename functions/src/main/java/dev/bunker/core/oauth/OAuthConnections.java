package dev.bunker.core.oauth;

import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.OrganizationAddress;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.organization.Credentials;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.SourceDirectory;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connecting an organization by signing in with Microsoft Entra ID: starts the sign-in for an
 * allowed organization URL, and on the callback checks access with the fresh token, keeps the
 * grant as an OAuth credential and registers the organization (or renews the grant of one that
 * needed re-consent).
 */
public final class OAuthConnections {
  private static final Logger LOG = Logger.getLogger(OAuthConnections.class.getName());
  private final OAuthConnector connector;
  private final AccessTokenSource tokens;
  private final SourceDirectory source;
  private final Credentials credentials;
  private final Organizations organizations;
  private final Predicate<String> allowed;
  private final CallbackPage page;

  /** @param allowed whether an organization URL is on the allow-list */
  public OAuthConnections(OAuthConnector connector, AccessTokenSource tokens, SourceDirectory source,
      Credentials credentials, Organizations organizations, Predicate<String> allowed, CallbackPage page) {
    this.connector = connector;
    this.tokens = tokens;
    this.source = source;
    this.credentials = credentials;
    this.organizations = organizations;
    this.allowed = allowed;
    this.page = page;
  }

  /**
   * How a callback ended: the page to answer with, the admin who started the sign-in (the callback's
   * audit entry names them; {@link AuditEntry.Actor#ANONYMOUS} when its state was refused), and
   * whether it renewed the consent of an organization already connected by OAuth rather than
   * connecting one.
   */
  public record Finished(CallbackPage.Page page, AuditEntry.Actor startedBy, boolean renewsConsent) {}

  /**
   * Where to send the browser to connect {@code organizationUrl}, started by the admin {@code
   * startedBy}; a {@code ValidationException} for a malformed URL and {@link
   * SourceException.Reason#URL_NOT_ALLOWED} for one off the allow-list, before anything else happens.
   */
  public URI start(String organizationUrl, boolean adminConsent, AuditEntry.Actor startedBy) {
    OrganizationAddress address = OrganizationAddress.parse("organizationUrl", organizationUrl);
    if (!allowed.test(address.url())) {
      throw new SourceException(SourceException.Reason.URL_NOT_ALLOWED, address.url() + " is not on the allow-list: "
          + "only https://dev.azure.com/, https://*.visualstudio.com/ and the prefixes in ALLOWED_ORGANIZATION_URLS");
    }
    return connector.authorizationUrl(address.url(), adminConsent, startedBy);
  }

  /**
   * The page the callback answers with: connected, or why not (400 for bad state or a declined
   * grant); or, after an administrator consented for the tenant, a redirect to sign in.
   */
  public Finished finish(OAuthCallback callback) {
    OAuthConnector.Accepted accepted;
    try {
      accepted = connector.accept(callback);
    } catch (InvalidStateException e) {
      return new Finished(page.failed(400, null, e.getMessage()), AuditEntry.Actor.ANONYMOUS, false);
    }
    // asked before connecting: afterwards a first connection is connected by OAuth too
    boolean renewsConsent = connectedByOAuth(accepted.organizationUrl());
    return new Finished(finish(callback, accepted), accepted.startedBy(), renewsConsent);
  }

  private CallbackPage.Page finish(OAuthCallback callback, OAuthConnector.Accepted accepted) {
    Authorization authorization;
    try {
      if (callback.answersAdminConsent()) {
        return page.continueAt(connector.signInAfterAdminConsent(accepted));
      }
      authorization = connector.complete(accepted);
    } catch (OAuthException e) {
      return page.failed("unavailable".equals(e.error()) ? 502 : 400, null, e.getMessage());
    }
    String url = authorization.organizationUrl();
    try {
      Organization connected = connect(authorization);
      return page.connected(connected.id(), connected.url());
    } catch (SourceException e) {
      return page.failed(e.isTransient() ? 502 : 400, url, e.getMessage());
    } catch (ConflictException e) {
      return page.failed(409, url, e.getMessage());
    } catch (OAuthException e) {
      return page.failed(400, url, e.getMessage());
    } catch (RuntimeException e) {
      // its message may say more than a browser should see: log it, show an id
      String incident = UUID.randomUUID().toString();
      LOG.log(Level.SEVERE, "OAuth callback for " + url + " failed, incident " + incident, e);
      return page.failed(500, url, "Bunker failed to connect the organization (incident " + incident + " is logged)");
    }
  }

  /** Whether {@code url} is registered with an OAuth credential (a sign-in for it renews that consent). */
  private boolean connectedByOAuth(String url) {
    try {
      return organizations.registered(OrganizationAddress.parse("organizationUrl", url))
          .map(organization -> organization.auth() == CredentialKind.OAUTH).orElse(false);
    } catch (RuntimeException e) {
      // only the audit entry's action depends on it: the page already tells what happened
      LOG.log(Level.WARNING, "could not tell whether " + url + " was connected by OAuth before", e);
      return false;
    }
  }

  private Organization connect(Authorization authorization) {
    String url = authorization.organizationUrl();
    TokenGrant grant = authorization.grant();
    source.connect(new SourceAccess(url, GitCredential.bearer(Secret.of(grant.accessToken()))));
    Optional<Organization> existing = organizations.registered(OrganizationAddress.parse("organizationUrl", url));
    if (existing.isPresent()) {
      Organization organization = existing.get();
      if (organization.auth() != CredentialKind.OAUTH) {
        throw new ConflictException("organization " + url + " is already registered with a personal access token;"
            + " delete it first to connect it with OAuth");
      }
      tokens.remember(credentials.get(organization.credentialId()).secretName(), grant);
      return organizations.renewConsent(organization.id());
    }
    Secret refreshToken = Secret.of(grant.refreshToken().orElseThrow(() -> new OAuthException("invalid_grant",
        "Microsoft Entra ID granted no refresh token (the offline_access scope was not granted)")));
    Credential credential = credentials.storeOAuthGrant("OAuth sign-in for " + url, refreshToken);
    tokens.remember(credential.secretName(), grant);
    try {
      return organizations.register(new RegisterOrganization(url, credential.id(), null, null, null));
    } catch (RuntimeException e) {
      credentials.delete(credential.id());
      throw e;
    }
  }
}
