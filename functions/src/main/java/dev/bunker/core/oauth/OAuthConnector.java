package dev.bunker.core.oauth;

import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.port.SecretStore;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Connecting an organization with Microsoft Entra ID: the authorization-code flow with PKCE and a
 * signed, expiring, single-use state that names the organization. The ledger keeps who started each
 * sign-in, so its callback, which nobody signs in to, still knows.
 */
public final class OAuthConnector {
  private static final System.Logger LOG = System.getLogger(OAuthConnector.class.getName());
  private static final int MAX_ORGANIZATION_URL_LENGTH = 1024;

  private final OAuthSettings settings;
  private final StateSigner signer;
  private final OAuthStateLedger ledger;
  private final TokenEndpoint tokens;
  private final Clock clock;

  /**
   * @param secrets holds the state signing key ({@link OAuthSettings#stateSigningSecretName()})
   * @param random makes nonces and the signing key: a {@code SecureRandom} in production
   */
  public OAuthConnector(OAuthSettings settings, SecretStore secrets, OAuthStateLedger ledger, TokenEndpoint tokens,
      Clock clock, Random random) {
    this.settings = settings;
    this.signer = new StateSigner(secrets, settings.stateSigningSecretName(), random);
    this.ledger = ledger;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * Where to send the browser to connect {@code organizationUrl} (already checked against the
   * allow-list by the caller). With {@code adminConsent}, first to Entra's admin consent endpoint,
   * where a tenant administrator consents for the whole tenant; its answer comes back to the
   * callback without a code, and {@link #signInAfterAdminConsent} continues from there. (Entra's v2
   * authorize endpoint refuses {@code prompt=admin_consent}: AADSTS901001.) {@code startedBy} is the
   * admin asking, whom {@link Accepted#startedBy} names at the callback.
   */
  public URI authorizationUrl(String organizationUrl, boolean adminConsent, AuditEntry.Actor startedBy) {
    requireOrganizationUrl(organizationUrl);
    LOG.log(Level.INFO, "sign-in started for organization {0} (admin consent: {1})", organizationUrl, adminConsent);
    if (!adminConsent) {
      return signInUrl(organizationUrl, StateSigner.Step.SIGN_IN, startedBy);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", settings.clientId());
    query.put("scope", OAuthSettings.SCOPE);
    query.put("redirect_uri", settings.redirectUri().toString());
    query.put("state", newState(organizationUrl, StateSigner.Step.ADMIN_CONSENT, startedBy).state());
    return withQuery(settings.adminConsentEndpoint(), query);
  }

  /**
   * A callback whose state this app signed, that has not expired and is used for the first time:
   * the organization it is for and the admin who started its sign-in ({@link AuditEntry.Actor#ANONYMOUS}
   * when the ledger no longer knows).
   */
  public static final class Accepted {
    private final OAuthCallback callback;
    private final StateSigner.SignIn signIn;
    private final AuditEntry.Actor startedBy;

    private Accepted(OAuthCallback callback, StateSigner.SignIn signIn, AuditEntry.Actor startedBy) {
      this.callback = callback;
      this.signIn = signIn;
      this.startedBy = startedBy;
    }

    public String organizationUrl() {
      return signIn.organizationUrl();
    }

    public AuditEntry.Actor startedBy() {
      return startedBy;
    }
  }

  /**
   * Accepts a callback's state, once: checks its signature and expiry and claims it.
   *
   * @throws InvalidStateException the state is missing, forged, expired or used: answer 400
   */
  public Accepted accept(OAuthCallback callback) {
    StateSigner.SignIn signIn;
    try {
      signIn = signer.verify(callback.state());
      if (!clock.instant().isBefore(signIn.expiresAt())) {
        throw new InvalidStateException(InvalidStateException.Reason.EXPIRED);
      }
      if (!ledger.claim(signIn.nonce(), signIn.expiresAt())) {
        throw new InvalidStateException(InvalidStateException.Reason.REPLAYED);
      }
    } catch (InvalidStateException e) {
      LOG.log(Level.WARNING, "OAuth callback refused: {0}", e.reason());
      throw e;
    }
    AuditEntry.Actor startedBy = ledger.startedBy(signIn.nonce()).orElse(AuditEntry.Actor.ANONYMOUS);
    forgetExpiredSignIns();
    return new Accepted(callback, signIn, startedBy);
  }

  /**
   * Continues from an administrator's answer to the admin consent request: when the administrator
   * consented, answers where to sign in for the code. That sign-in asks for no consent: the tenant
   * has given it; it is started by whoever started the admin consent request.
   *
   * @throws OAuthException the administrator declined, or the state is not an admin consent request's
   */
  public URI signInAfterAdminConsent(Accepted accepted) {
    StateSigner.SignIn signIn = granted(accepted);
    OAuthCallback callback = accepted.callback;
    if (signIn.step() != StateSigner.Step.ADMIN_CONSENT) {
      throw new OAuthException("invalid_request", "this sign-in did not ask for an administrator's consent");
    }
    if (!"True".equalsIgnoreCase(callback.adminConsent())) {
      throw new OAuthException("access_denied", "the administrator did not consent on behalf of the organization");
    }
    LOG.log(Level.INFO, "an administrator of tenant {0} consented for organization {1}",
        callback.tenant() == null ? "(not named)" : Messages.printable(callback.tenant()), signIn.organizationUrl());
    return signInUrl(signIn.organizationUrl(), StateSigner.Step.SIGN_IN_AFTER_ADMIN_CONSENT, accepted.startedBy);
  }

  /**
   * Finishes a sign-in from its accepted callback: redeems the code.
   *
   * @throws OAuthException the user declined, or Entra ID refused the code
   */
  public Authorization complete(Accepted accepted) {
    StateSigner.SignIn signIn = granted(accepted);
    OAuthCallback callback = accepted.callback;
    if (signIn.step() == StateSigner.Step.ADMIN_CONSENT) {
      throw new OAuthException("invalid_request", "the answer to the admin consent request has no admin_consent");
    }
    if (callback.code() == null || callback.code().isBlank()) {
      throw new OAuthException("invalid_request", "the callback has no authorization code");
    }
    TokenGrant grant = tokens.redeem(callback.code(), signer.pkceVerifier(signIn.nonce()));
    LOG.log(Level.INFO, "sign-in completed for organization {0}", signIn.organizationUrl());
    return new Authorization(signIn.organizationUrl(),
        signIn.step() == StateSigner.Step.SIGN_IN_AFTER_ADMIN_CONSENT, grant);
  }

  /** The authorization-code request with PKCE; a plain sign-in asks for consent again, to renew a revoked grant. */
  private URI signInUrl(String organizationUrl, StateSigner.Step step, AuditEntry.Actor startedBy) {
    SignedSignIn signIn = newState(organizationUrl, step, startedBy);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", settings.clientId());
    query.put("response_type", "code");
    query.put("redirect_uri", settings.redirectUri().toString());
    query.put("response_mode", "query");
    query.put("scope", OAuthSettings.SCOPE);
    query.put("state", signIn.state());
    query.put("code_challenge", StateSigner.pkceChallenge(signer.pkceVerifier(signIn.signIn().nonce())));
    query.put("code_challenge_method", "S256");
    if (step == StateSigner.Step.SIGN_IN) {
      query.put("prompt", "consent");
    }
    return withQuery(settings.authorizeEndpoint(), query);
  }

  private record SignedSignIn(StateSigner.SignIn signIn, String state) {}

  private SignedSignIn newState(String organizationUrl, StateSigner.Step step, AuditEntry.Actor startedBy) {
    StateSigner.SignIn signIn = new StateSigner.SignIn(organizationUrl, signer.newNonce(),
        clock.instant().plus(settings.stateLifetime()), step);
    ledger.begin(signIn.nonce(), startedBy, signIn.expiresAt());
    return new SignedSignIn(signIn, signer.sign(signIn));
  }

  /** The accepted sign-in, when Entra ID answered without an error. */
  private static StateSigner.SignIn granted(Accepted accepted) {
    OAuthCallback callback = accepted.callback;
    if (callback.error() != null) {
      LOG.log(Level.INFO, "sign-in for organization {0} ended with {1}", accepted.organizationUrl(), callback.error());
      throw new OAuthException(callback.error(), "Microsoft Entra ID did not grant access ("
          + Messages.printable(callback.error()) + ")" + Messages.describe(callback.errorDescription()));
    }
    return accepted.signIn;
  }

  /**
   * Each sign-in prunes the ledger of those whose state has expired (it refuses them before asking
   * the ledger), so the ledger holds no more than the sign-ins of one state lifetime. Pruning is
   * housekeeping: its failure does not fail the sign-in, the next one tries again.
   */
  private void forgetExpiredSignIns() {
    try {
      ledger.forgetExpired(clock.instant());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not forget expired sign-ins: {0}", e.toString());
    }
  }

  private static URI withQuery(URI endpoint, Map<String, String> query) {
    return URI.create(endpoint + "?" + query.entrySet().stream()
        .map(e -> e.getKey() + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&")));
  }

  private static void requireOrganizationUrl(String organizationUrl) {
    URI uri;
    try {
      uri = organizationUrl == null || organizationUrl.length() > MAX_ORGANIZATION_URL_LENGTH
          ? null : URI.create(organizationUrl);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("organizationUrl must be an http(s) URL without user info, query or fragment");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
