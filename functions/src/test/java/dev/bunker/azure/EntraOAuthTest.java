package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.memory.InMemorySecretStore;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.oauth.AccessTokenSource;
import dev.bunker.core.oauth.Authorization;
import dev.bunker.core.oauth.ConsentRevokedException;
import dev.bunker.core.oauth.InMemoryOAuthStateLedger;
import dev.bunker.core.oauth.InvalidStateException;
import dev.bunker.core.oauth.InvalidStateException.Reason;
import dev.bunker.core.oauth.OAuthCallback;
import dev.bunker.core.oauth.OAuthConnector;
import dev.bunker.core.oauth.OAuthException;
import dev.bunker.core.oauth.OAuthSettings;
import dev.bunker.core.oauth.OAuthStateLedger;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.MockEntraId;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OAuth flow end to end against mock-oauth2-server standing in for Entra ID. */
class EntraOAuthTest {
  static final String CLIENT_SECRET = "client-secret-value-7f3a";
  static final String ORGANIZATION = "https://dev.azure.com/contoso";
  static final AuditEntry.Actor STARTED_BY =
      new AuditEntry.Actor("admin@contoso.com", "2f1c9a4e-0000-4000-8000-00000000000a");
  private static MockEntraId entra;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
  private InMemorySecretStore secrets;
  private OAuthSettings settings;
  private EntraTokenEndpoint endpoint;
  private OAuthConnector connector;
  private AccessTokenSource accessTokens;

  @BeforeAll
  static void startEntra() {
    entra = new MockEntraId();
  }

  @AfterAll
  static void stopEntra() {
    entra.close();
  }

  @BeforeEach
  void wire() {
    secrets = new InMemorySecretStore();
    secrets.put("oauth-client-secret", CLIENT_SECRET);
    settings = settings(entra.authority());
    endpoint = new EntraTokenEndpoint(settings, secrets, EntraTokenEndpoint.defaultHttpClient(), clock);
    connector =
        new OAuthConnector(settings, secrets, new InMemoryOAuthStateLedger(), endpoint, clock, new SecureRandom());
    accessTokens = new AccessTokenSource(endpoint, secrets, clock);
  }

  static OAuthSettings settings(URI authority) {
    return new OAuthSettings(authority, "bunker-app", URI.create("https://bunker.example.net/api/oauth/callback"),
        "oauth-client-secret", "oauth-state-key", OAuthSettings.DEFAULT_STATE_LIFETIME);
  }

  @Test
  void connectsAnOrganizationWithAuthorizationCodeAndPkce() {
    URI authorize = connector.authorizationUrl(ORGANIZATION, false, STARTED_BY);
    Map<String, String> query = MockEntraId.query(authorize);
    assertThat(authorize.toString()).startsWith(entra.authority() + "/oauth2/v2.0/authorize?");
    assertThat(query).containsEntry("client_id", "bunker-app")
        .containsEntry("response_type", "code")
        .containsEntry("redirect_uri", "https://bunker.example.net/api/oauth/callback")
        .containsEntry("scope", "openid offline_access 499b84ac-1321-427f-aa17-267ca6975798/.default")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("prompt", "consent");
    assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");

    Authorization authorization =
        connector.complete(connector.accept(OAuthCallback.fromQuery(entra.signIn(authorize))));

    assertThat(authorization.organizationUrl()).isEqualTo(ORGANIZATION);
    assertThat(authorization.adminConsent()).isFalse();
    assertThat(authorization.grant().accessToken()).contains(".");
    assertThat(authorization.grant().refreshToken()).isPresent();
    assertThat(authorization.grant().expiresAt()).isAfter(clock.instant());
  }

  @Test
  void consentOnBehalfOfTheOrganizationGoesThroughEntrasAdminConsentEndpointThenSignsIn() {
    URI adminConsent = connector.authorizationUrl(ORGANIZATION, true, STARTED_BY);
    Map<String, String> request = MockEntraId.query(adminConsent);
    assertThat(adminConsent.toString()).startsWith(entra.authority() + "/v2.0/adminconsent?");
    assertThat(request).containsEntry("client_id", "bunker-app")
        .containsEntry("redirect_uri", "https://bunker.example.net/api/oauth/callback")
        .containsEntry("scope", OAuthSettings.SCOPE)
        .doesNotContainKeys("prompt", "response_type", "code_challenge");

    // Entra's answer once the administrator consented: no code, the tenant, the state.
    URI signIn = connector.signInAfterAdminConsent(connector.accept(OAuthCallback.fromQuery(Map.of(
        "admin_consent", "True", "tenant", "7d1b0d4e-0000-4000-8000-000000000001", "state", request.get("state")))));
    Map<String, String> query = MockEntraId.query(signIn);
    assertThat(signIn.toString()).startsWith(entra.authority() + "/oauth2/v2.0/authorize?");
    assertThat(query).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
        .doesNotContainKey("prompt"); // the tenant has consented: nobody is asked again
    Authorization authorization = connector.complete(connector.accept(OAuthCallback.fromQuery(entra.signIn(signIn))));

    assertThat(authorization.adminConsent()).isTrue();
    assertThat(authorization.organizationUrl()).isEqualTo(ORGANIZATION);
    assertThat(authorization.grant().refreshToken()).isPresent();
  }

  @Test
  void theCallbackKnowsWhoStartedTheSignInAlsoAfterAnAdministratorsConsent() {
    AuditEntry.Actor other = new AuditEntry.Actor("other@contoso.com", "2f1c9a4e-0000-4000-8000-00000000000b");
    URI mine = connector.authorizationUrl(ORGANIZATION, false, STARTED_BY);
    URI theirs = connector.authorizationUrl(ORGANIZATION, true, other);

    assertThat(connector.accept(OAuthCallback.fromQuery(entra.signIn(mine))).startedBy()).isEqualTo(STARTED_BY);
    URI signIn = connector.signInAfterAdminConsent(connector.accept(OAuthCallback.fromQuery(Map.of(
        "admin_consent", "True", "state", MockEntraId.query(theirs).get("state")))));
    assertThat(connector.accept(OAuthCallback.fromQuery(entra.signIn(signIn))).startedBy()).isEqualTo(other);
    assertThat(mine.toString()).doesNotContain("admin@contoso.com").doesNotContain(STARTED_BY.objectId());
  }

  @Test
  void aSignInTheLedgerDoesNotKnowIsAnonymous() {
    URI authorize = connector.authorizationUrl(ORGANIZATION, false, STARTED_BY);
    OAuthConnector forgetful = new OAuthConnector(settings, secrets, new InMemoryOAuthStateLedger(), endpoint, clock,
        new SecureRandom());

    assertThat(forgetful.accept(OAuthCallback.fromQuery(entra.signIn(authorize))).startedBy())
        .isEqualTo(AuditEntry.Actor.ANONYMOUS);
  }

  @Test
  void anAdministratorWhoDeclinesConnectsNothing() {
    String state = MockEntraId.query(connector.authorizationUrl(ORGANIZATION, true, STARTED_BY)).get("state");

    assertThatThrownBy(() -> connector.complete(connector.accept(OAuthCallback.fromQuery(Map.of("state", state,
        "error", "access_denied", "error_description", "AADSTS65004: User declined to consent to access the app.")))))
        .isInstanceOf(OAuthException.class)
        .hasMessageContaining("access_denied").hasMessageContaining("AADSTS65004");
  }

  @Test
  void anAdminConsentAnswerIsTakenOnceAndOnlyForAnAdminConsentRequest() {
    String state = MockEntraId.query(connector.authorizationUrl(ORGANIZATION, true, STARTED_BY)).get("state");
    OAuthCallback consented = OAuthCallback.fromQuery(Map.of("admin_consent", "True", "state", state));
    connector.signInAfterAdminConsent(connector.accept(consented));
    assertThatThrownBy(() -> connector.signInAfterAdminConsent(connector.accept(consented)))
        .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAYED));

    String signInState = MockEntraId.query(connector.authorizationUrl(ORGANIZATION, false, STARTED_BY)).get("state");
    assertThatThrownBy(() -> connector.signInAfterAdminConsent(connector.accept(
        OAuthCallback.fromQuery(Map.of("admin_consent", "True", "state", signInState)))))
        .isInstanceOf(OAuthException.class).hasMessageContaining("did not ask for an administrator's consent");

    String unanswered = MockEntraId.query(connector.authorizationUrl(ORGANIZATION, true, STARTED_BY)).get("state");
    assertThatThrownBy(
        () -> connector.complete(connector.accept(new OAuthCallback("some-code", unanswered, null, null))))
        .isInstanceOf(OAuthException.class).hasMessageContaining("admin_consent");
  }

  @Test
  void theAdminConsentEndpointNeverNamesTheCommonTenant() {
    assertThat(settings(URI.create("https://login.microsoftonline.com/common")).adminConsentEndpoint())
        .hasToString("https://login.microsoftonline.com/organizations/v2.0/adminconsent");
    assertThat(
        settings(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/")).adminConsentEndpoint())
        .hasToString("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent");
  }

  @Test
  void aCodeFromAnotherSignInFailsThePkceCheck() {
    URI first = connector.authorizationUrl(ORGANIZATION, false, STARTED_BY);
    URI second = connector.authorizationUrl(ORGANIZATION, false, STARTED_BY);
    String codeOfFirst = entra.signIn(first).get("code");
    String stateOfSecond = entra.signIn(second).get("state");

    assertThatThrownBy(
        () -> connector.complete(connector.accept(new OAuthCallback(codeOfFirst, stateOfSecond, null, null))))
        .isInstanceOf(OAuthException.class)
        .hasMessageContaining("invalid_grant")
        .hasMessageNotContaining(codeOfFirst);
  }

  @Test
  void refreshesShortlyBeforeExpiryAndKeepsTheRotatedRefreshToken() {
    Authorization authorization = connector.complete(connector.accept(OAuthCallback.fromQuery(entra.signIn(
        connector.authorizationUrl(ORGANIZATION, false, STARTED_BY)))));
    accessTokens.remember("oauth-org-1", authorization.grant());
    String firstRefreshToken = secrets.get("oauth-org-1").orElseThrow();
    assertThat(firstRefreshToken).isEqualTo(authorization.grant().refreshToken().orElseThrow());

    clock.advance(Duration.ofMinutes(50));
    assertThat(accessTokens.accessToken("oauth-org-1")).isEqualTo(authorization.grant().accessToken());
    assertThat(secrets.get("oauth-org-1")).contains(firstRefreshToken);

    clock.advance(Duration.ofMinutes(6)); // 4 minutes before the hour is up: inside the refresh margin
    String refreshed = accessTokens.accessToken("oauth-org-1");

    assertThat(refreshed).isNotEqualTo(authorization.grant().accessToken());
    String secondRefreshToken = secrets.get("oauth-org-1").orElseThrow();
    assertThat(secondRefreshToken).isNotEqualTo(firstRefreshToken);
    assertThat(accessTokens.accessToken("oauth-org-1")).isEqualTo(refreshed);

    clock.advance(Duration.ofMinutes(56));
    accessTokens.accessToken("oauth-org-1");
    assertThat(secrets.get("oauth-org-1").orElseThrow()).isNotIn(firstRefreshToken, secondRefreshToken);
  }

  @Test
  void aRevokedGrantMeansTheOrganizationNeedsReconsent() {
    Authorization authorization = connector.complete(connector.accept(OAuthCallback.fromQuery(entra.signIn(
        connector.authorizationUrl(ORGANIZATION, false, STARTED_BY)))));
    accessTokens.remember("oauth-org-2", authorization.grant());
    String refreshToken = authorization.grant().refreshToken().orElseThrow();
    entra.revoke(refreshToken);
    clock.advance(Duration.ofHours(1));

    assertThatThrownBy(() -> accessTokens.accessToken("oauth-org-2"))
        .isInstanceOf(ConsentRevokedException.class)
        .hasMessageContaining("invalid_grant")
        .hasMessageContaining("AADSTS50173")
        .hasMessageContaining("connected again")
        .hasMessageNotContaining(refreshToken)
        .hasMessageNotContaining(CLIENT_SECRET);
  }

  @Test
  void aGrantNeverKeptMeansTheOrganizationNeedsReconsent() {
    assertThatThrownBy(() -> accessTokens.accessToken("oauth-org-unknown"))
        .isInstanceOf(ConsentRevokedException.class)
        .hasMessageContaining("oauth-org-unknown");
  }

  @Test
  void aReplayedStateIsRefused() {
    Map<String, String> callback = entra.signIn(connector.authorizationUrl(ORGANIZATION, false, STARTED_BY));
    connector.complete(connector.accept(OAuthCallback.fromQuery(callback)));

    assertThatThrownBy(() -> connector.complete(connector.accept(OAuthCallback.fromQuery(callback))))
        .isInstanceOf(InvalidStateException.class)
        .satisfies(e -> assertThat(((InvalidStateException) e).reason()).isEqualTo(Reason.REPLAYED));
  }

  @Test
  void eachSignInForgetsTheSignInsWhoseStateExpired() {
    InMemoryOAuthStateLedger ledger = new InMemoryOAuthStateLedger();
    List<String> claimed = new ArrayList<>();
    OAuthStateLedger recording = new OAuthStateLedger() {
      @Override
      public void begin(String nonce, AuditEntry.Actor startedBy, Instant expiresAt) {
        ledger.begin(nonce, startedBy, expiresAt);
      }

      @Override
      public Optional<AuditEntry.Actor> startedBy(String nonce) {
        return ledger.startedBy(nonce);
      }

      @Override
      public boolean claim(String nonce, Instant expiresAt) {
        claimed.add(nonce);
        return ledger.claim(nonce, expiresAt);
      }

      @Override
      public void forgetExpired(Instant now) {
        ledger.forgetExpired(now);
      }
    };
    OAuthConnector pruning = new OAuthConnector(settings, secrets, recording, endpoint, clock, new SecureRandom());
    for (int signIn = 0; signIn < 2; signIn++) {
      String state = MockEntraId.query(pruning.authorizationUrl(ORGANIZATION, true, STARTED_BY)).get("state");
      pruning.signInAfterAdminConsent(
          pruning.accept(OAuthCallback.fromQuery(Map.of("admin_consent", "True", "state", state))));
      clock.advance(OAuthSettings.DEFAULT_STATE_LIFETIME.plusMinutes(1));
    }

    Instant later = clock.instant().plus(Duration.ofDays(1));
    assertThat(ledger.claim(claimed.get(0), later)).as("the first sign-in, expired at the second").isTrue();
    assertThat(ledger.claim(claimed.get(1), later)).as("the second sign-in, the one in use").isFalse();
  }

  @Test
  void anExpiredStateIsRefused() {
    Map<String, String> callback = entra.signIn(connector.authorizationUrl(ORGANIZATION, false, STARTED_BY));
    clock.advance(OAuthSettings.DEFAULT_STATE_LIFETIME);

    assertThatThrownBy(() -> connector.complete(connector.accept(OAuthCallback.fromQuery(callback))))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("expired")
        .satisfies(e -> assertThat(((InvalidStateException) e).reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void aStateSignedWithAnotherKeyIsRefused() {
    InMemorySecretStore otherSecrets = new InMemorySecretStore();
    OAuthConnector otherBunker = new OAuthConnector(settings, otherSecrets, new InMemoryOAuthStateLedger(), endpoint,
        clock, new SecureRandom());
    Map<String, String> callback = entra.signIn(otherBunker.authorizationUrl(ORGANIZATION, false, STARTED_BY));

    assertReason(callback, Reason.FORGED);
  }

  @Test
  void aStateNamingAnotherOrganizationIsRefused() {
    Map<String, String> callback =
        new HashMap<>(entra.signIn(connector.authorizationUrl(ORGANIZATION, false, STARTED_BY)));
    String[] parts = callback.get("state").split("\\.");
    parts[1] = Base64.getUrlEncoder().withoutPadding().encodeToString("https://dev.azure.com/evil".getBytes());
    callback.put("state", String.join(".", parts));

    assertReason(callback, Reason.FORGED);
  }

  @Test
  void missingOrMalformedStatesAreRefused() {
    Map<String, String> callback =
        new HashMap<>(entra.signIn(connector.authorizationUrl(ORGANIZATION, false, STARTED_BY)));
    callback.remove("state");
    assertReason(callback, Reason.MISSING);
    for (String garbage : new String[] {"x", "v1.a.b.c.d.e", "v2" + "x".repeat(10), "v1..AAAAAAAAAAAAAAAAAAAAAA.1.u.%%",
        "."}) {
      callback.put("state", garbage);
      assertReason(callback, Reason.MALFORMED);
    }
    callback.put("state", "v1.x.AAAAAAAAAAAAAAAAAAAAAA.notanumber.u.AAAA");
    assertReason(callback, Reason.MALFORMED);
  }

  @Test
  void aDeclinedConsentIsReportedAndUsesUpTheState() {
    Map<String, String> callback = entra.signIn(connector.authorizationUrl(ORGANIZATION, false, STARTED_BY));
    OAuthCallback declined = new OAuthCallback(null, callback.get("state"), "access_denied",
        "AADSTS65004: User declined to consent to access the app.");

    assertThatThrownBy(() -> connector.complete(connector.accept(declined)))
        .isInstanceOf(OAuthException.class)
        .hasMessage(
            "Microsoft Entra ID did not grant access (access_denied): AADSTS65004: User declined to consent to access the app.");
    assertReason(callback, Reason.REPLAYED);
  }

  @Test
  void anUnreachableTokenEndpointIsAClearErrorNotARevokedGrant() {
    EntraTokenEndpoint down = new EntraTokenEndpoint(settings(URI.create("http://127.0.0.1:1/tenant")), secrets,
        EntraTokenEndpoint.defaultHttpClient(), clock);
    secrets.put("oauth-org-3", "some-refresh-token");
    AccessTokenSource source = new AccessTokenSource(down, secrets, clock);

    assertThatThrownBy(() -> source.accessToken("oauth-org-3"))
        .isInstanceOf(OAuthException.class)
        .isNotInstanceOf(ConsentRevokedException.class)
        .hasMessageContaining("could not be reached")
        .hasMessageNotContaining("some-refresh-token");
  }

  @Test
  void organizationUrlsThatAreNotPlainUrlsAreRefused() {
    for (String bad : new String[] {"", "dev.azure.com/x", "javascript:alert(1)", "https://user:pw@dev.azure.com/x",
        "https://dev.azure.com/x?y=1", "ftp://dev.azure.com/x"}) {
      assertThatThrownBy(() -> connector.authorizationUrl(bad, false, STARTED_BY))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theSigningKeyIsMadeOnceAndKept() {
    connector.authorizationUrl(ORGANIZATION, false, STARTED_BY);
    String key = secrets.get("oauth-state-key").orElseThrow();
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    OAuthConnector sameBunkerOtherInstance = new OAuthConnector(settings, secrets, new InMemoryOAuthStateLedger(),
        endpoint, clock, new SecureRandom());
    Map<String, String> callback =
        entra.signIn(sameBunkerOtherInstance.authorizationUrl(ORGANIZATION, false, STARTED_BY));

    assertThat(connector.complete(connector.accept(OAuthCallback.fromQuery(callback))).organizationUrl())
        .isEqualTo(ORGANIZATION);
    assertThat(secrets.get("oauth-state-key")).contains(key);
  }

  private void assertReason(Map<String, String> callback, Reason reason) {
    assertThatThrownBy(() -> connector.complete(connector.accept(OAuthCallback.fromQuery(callback))))
        .isInstanceOf(InvalidStateException.class)
        .satisfies(e -> assertThat(((InvalidStateException) e).reason()).isEqualTo(reason));
  }
}
