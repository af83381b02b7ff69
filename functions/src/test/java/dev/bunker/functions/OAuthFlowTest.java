package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.bunker.app.AdminAccess;
import dev.bunker.app.App;
import dev.bunker.app.Setting;
import dev.bunker.azure.LocalFileSecretStore;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.OrganizationAddress;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.SourceException;
import dev.bunker.json.Json;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.MockEntraId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting an organization by Entra ID sign-in through the function classes, with the real
 * wiring: mock-oauth2-server as Entra ID, the sandbox as Azure DevOps (accepting the tokens that
 * server issues), Azurite for tables, queues and blobs.
 */
class OAuthFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AuditEntry.Actor ANA = new AuditEntry.Actor("ana@contoso.com",
      "8f0c3a52-6b1e-4d2a-9c57-2f1e0b7d4a11");
  private static final String CLIENT_SECRET = "client-secret-" + UUID.randomUUID();
  private static AdoSandbox sandbox;
  private static MockEntraId entra;

  @TempDir
  Path localData;
  private final ManualClock clock = new ManualClock(Instant.now());
  private final OAuthFunction oauth = new OAuthFunction();
  private final OrganizationsFunction organizations = new OrganizationsFunction();
  private String organizationUrl;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    entra = new MockEntraId();
    String issuer = entra.authority().toString();
    sandbox.acceptBearerTokens(token -> issuerOf(token).startsWith(issuer));
  }

  @AfterAll
  static void stop() {
    entra.close();
    sandbox.close();
  }

  @BeforeEach
  void wire() throws Exception {
    String name = "oauth-" + UUID.randomUUID().toString().substring(0, 8);
    sandbox.organization(name).project("Web").repository("site").withCommits(1);
    organizationUrl = sandbox.organization(name).url().toString();
    Files.createDirectories(localData);
    LocalFileSecretStore.open(localData.resolve("secrets.json"), Map.of()).put("oauth-client-secret", CLIENT_SECRET);
    App.use(App.fromEnvironment(Map.of(
        Setting.APP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_STORAGE.key(), Azurite.shared().connectionString(),
        Setting.BACKUP_CONTAINER.key(), "oauth-" + UUID.randomUUID(),
        Setting.ALLOWED_ORGANIZATION_URLS.key(), sandbox.url() + "/",
        Setting.OAUTH_CLIENT_ID.key(), "bunker-app",
        Setting.OAUTH_AUTHORITY.key(), entra.authority().toString(),
        Setting.OAUTH_REDIRECT_URI.key(), "https://bunker.example.net/api/oauth/callback"), localData, clock));
  }

  @AfterEach
  void unwire() {
    App.reset();
  }

  @Test
  void connectsAnOrganizationBySigningInAndRefusesTheSameStateTwice() {
    Map<String, String> redirect = signIn(organizationUrl);
    HttpResponseMessage page = callback(redirect);

    assertThat(page.getStatusCode()).as((String) page.getBody()).isEqualTo(200);
    String html = (String) page.getBody();
    assertThat(html).contains("data-type=\"bunker-oauth\"", "data-status=\"connected\"",
        "data-organization-url=\"" + organizationUrl + "\"", "data-origin=\"https://bunker.example.net\"");
    String id = html.replaceAll("(?s).*data-organization-id=\"([0-9a-f]+)\".*", "$1");
    JsonNode organization = get(id);
    assertThat(organization.path("url").asText()).isEqualTo(organizationUrl);
    assertThat(organization.path("auth").asText()).isEqualToIgnoringCase("oauth");
    assertThat(organization.path("consentNeededSince").asText(null)).isNull();
    assertThat(html).doesNotContain(redirect.get("code"));
    assertThat(App.bunker().inventory().repositories(id)).extracting(Repository::name)
        .as("listed at registration with the granted token").contains("site");

    HttpResponseMessage replayed = callback(redirect);
    assertThat(replayed.getStatusCode()).isEqualTo(400);
    assertThat((String) replayed.getBody()).contains("data-status=\"error\"", "already completed");
  }

  @Test
  void aRevokedGrantAsksForReconsentUntilTheNextSignIn() throws Exception {
    String id = connect();
    String credentialId = get(id).path("credentialId").asText();
    String refreshToken = LocalFileSecretStore.open(localData.resolve("secrets.json"), Map.of())
        .get("bunker-credential-" + credentialId).orElseThrow();
    assertThat(Json.write(App.bunker().credentials().get(credentialId))).doesNotContain(refreshToken);
    assertThat(Json.write(App.bunker().organizations().get(id))).doesNotContain(refreshToken);
    entra.revoke(refreshToken);
    clock.advance(Duration.ofHours(3)); // the cached access token expired: the next use refreshes

    assertThatThrownBy(() -> App.bunker().credentials().unlock(credentialId))
        .isInstanceOfSatisfying(SourceException.class,
            e -> assertThat(e.reason()).isEqualTo(SourceException.Reason.CREDENTIAL_NOT_ACCEPTED));
    assertThat(get(id).path("consentNeededSince").asText()).isNotEmpty();

    HttpResponseMessage again = callback(signIn(organizationUrl));
    assertThat(again.getStatusCode()).as((String) again.getBody()).isEqualTo(200);
    assertThat(get(id).path("consentNeededSince").asText(null)).isNull();
    assertThat(get(id).path("credentialId").asText()).isEqualTo(credentialId);
    assertThat(App.bunker().credentials().unlock(credentialId).token().reveal()).isNotBlank();
  }

  @Test
  void anExpiredOrForgedStateIsRefusedWithAnErrorPage() {
    Map<String, String> redirect = signIn(organizationUrl);
    clock.advance(Duration.ofMinutes(11));
    HttpResponseMessage expired = callback(redirect);
    assertThat(expired.getStatusCode()).isEqualTo(400);
    assertThat((String) expired.getBody()).contains("data-status=\"error\"", "expired");

    HttpResponseMessage forged = callback(Map.of("code", "x", "state", "forged.state"));
    assertThat(forged.getStatusCode()).isEqualTo(400);
    String id = OrganizationAddress.parse("url", organizationUrl).organizationId();
    assertThat(organizations.get(FakeRequest.get("organizations/" + id), id).getStatusCode()).isEqualTo(404);
  }

  @Test
  void anOrganizationOffTheAllowListIsRefusedBeforeSignInWithAPageForTheConsole() {
    HttpResponseMessage refused = oauth.authorize(FakeRequest.get("oauth/authorize")
        .query("organizationUrl", "https://evil.example/tfs/Collection"));
    assertThat(refused.getStatusCode()).isEqualTo(400);
    assertThat(refused.getHeader("Content-Type")).startsWith("text/html");
    assertThat((String) refused.getBody()).contains("data-status=\"error\"")
        .contains("The organization URL is not allowed").contains("not on the allow-list");
  }

  @Test
  void consentOnBehalfOfTheOrganizationAsksEntraForAdminConsentThenSignsIn() throws Exception {
    assertThat(promptOf(authorize(null))).isEqualTo("consent");
    assertThat(promptOf(authorize("false"))).isEqualTo("consent");

    HttpResponseMessage adminConsent = authorize("true");
    assertThat(adminConsent.getStatusCode()).isEqualTo(302);
    URI consentRequest = URI.create(adminConsent.getHeader("Location"));
    assertThat(consentRequest.toString()).startsWith(entra.authority() + "/v2.0/adminconsent?");
    // Entra's answer once the administrator consented: no code; Bunker goes on to sign in.
    HttpResponseMessage next = callback(Map.of("admin_consent", "True", "tenant", MockEntraId.TENANT,
        "state", MockEntraId.query(consentRequest).get("state")));
    assertThat(next.getStatusCode()).isEqualTo(302);
    assertThat(next.getHeader("Cache-Control")).isEqualTo("no-store");
    URI signIn = URI.create(next.getHeader("Location"));
    assertThat(MockEntraId.query(signIn)).doesNotContainKey("prompt");

    HttpResponseMessage page = callback(entra.signIn(signIn));
    assertThat(page.getStatusCode()).as((String) page.getBody()).isEqualTo(200);
    String id = OrganizationAddress.parse("url", organizationUrl).organizationId();
    assertThat(get(id).path("auth").asText()).isEqualToIgnoringCase("oauth");
  }

  @Test
  void adminConsentOtherThanTrueOrFalseIsRefusedWithAPageAndStartsNoSignIn() {
    for (String bad : new String[] {"maybe", "yes", "admin_consent"}) {
      HttpResponseMessage refused = authorize(bad);
      assertThat(refused.getStatusCode()).as(bad).isEqualTo(400);
      assertThat(refused.getHeader("Content-Type")).startsWith("text/html");
      assertThat(refused.getHeader("Location")).isNull();
      assertThat((String) refused.getBody()).contains("data-status=\"error\"").contains("adminConsent")
          .contains("true or false");
    }
  }

  @Test
  void theCallbacksAuditEntryNamesTheAdminWhoStartedTheSignInNeverTheCallbacksHeaders() throws Exception {
    App.use(AdminAccess.open());
    FakeRequest start = asAna(FakeRequest.get("oauth/authorize").query("organizationUrl", organizationUrl));
    Map<String, String> redirect = entra.signIn(URI.create(oauth.authorize(start).getHeader("Location")));
    FakeRequest finish = FakeRequest.get("oauth/callback")
        .header(AdminAccess.PRINCIPAL_NAME_HEADER, "mallory@example.com").header(AdminAccess.PRINCIPAL_ID_HEADER, "m");
    redirect.forEach(finish::query);
    clock.advance(Duration.ofSeconds(1)); // one entry a second: the trail's order is the calls' order
    assertThat(oauth.callback(finish).getStatusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    Instant replayedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    HttpResponseMessage replayed = callback(redirect);
    assertThat(replayed.getStatusCode()).isEqualTo(400);
    clock.advance(Duration.ofSeconds(1));

    HttpResponseMessage renewed = oauth.callback(query(FakeRequest.get("oauth/callback"),
        entra.signIn(URI.create(oauth.authorize(asAna(FakeRequest.get("oauth/authorize")
            .query("organizationUrl", organizationUrl))).getHeader("Location")))));
    assertThat(renewed.getStatusCode()).isEqualTo(200);

    String organizationId = OrganizationAddress.parse("url", organizationUrl).organizationId();
    // the trail is shared with the other tests: this organization's entries, and the replay's (its state names none)
    List<AuditEntry> callbacks = App.bunker().audit().list(null, null, organizationId, null).entries().stream()
        .filter(entry -> entry.action() != AuditAction.START_OAUTH_CONNECTION).toList();
    assertThat(callbacks).extracting(AuditEntry::action) // newest first
        .containsExactly(AuditAction.RENEW_OAUTH_CONSENT, AuditAction.FINISH_OAUTH_CONNECTION);
    assertThat(callbacks).extracting(AuditEntry::actor).containsExactly(ANA, ANA);
    assertThat(callbacks).extracting(AuditEntry::status).containsExactly(200, 200);
    assertThat(App.bunker().audit().list(null, null, null, null).entries())
        .filteredOn(entry -> entry.time().equals(replayedAt)).singleElement()
        .satisfies(entry -> assertThat(entry.actor()).isEqualTo(AuditEntry.Actor.ANONYMOUS))
        .satisfies(entry -> assertThat(entry.status()).isEqualTo(400));
  }

  private static FakeRequest asAna(FakeRequest request) {
    return request.header(AdminAccess.PRINCIPAL_NAME_HEADER, ANA.name())
        .header(AdminAccess.PRINCIPAL_ID_HEADER, ANA.objectId());
  }

  private static FakeRequest query(FakeRequest request, Map<String, String> query) {
    query.forEach(request::query);
    return request;
  }

  private HttpResponseMessage authorize(String adminConsent) {
    FakeRequest request = FakeRequest.get("oauth/authorize").query("organizationUrl", organizationUrl);
    if (adminConsent != null) {
      request.query("adminConsent", adminConsent);
    }
    return oauth.authorize(request);
  }

  private static String promptOf(HttpResponseMessage authorize) {
    assertThat(authorize.getStatusCode()).as(String.valueOf(authorize.getBody())).isEqualTo(302);
    return MockEntraId.query(URI.create(authorize.getHeader("Location"))).get("prompt");
  }

  @Test
  void withoutAClientIdOAuthIsOff() throws Exception {
    App.use(App.fromEnvironment(Map.of(Setting.APP_STORAGE.key(), Azurite.shared().connectionString()),
        localData, clock));
    assertThat(JSON.readTree((String) oauth.status(FakeRequest.get("oauth/status")).getBody()).path("configured")
        .asBoolean()).isFalse();
    // Both are opened in the console's sign-in window: pages that tell the console, never JSON.
    for (HttpResponseMessage off : List.of(
        oauth.authorize(FakeRequest.get("oauth/authorize").query("organizationUrl", organizationUrl)),
        oauth.callback(FakeRequest.get("oauth/callback")))) {
      assertThat(off.getStatusCode()).isEqualTo(404);
      assertThat(off.getHeader("Content-Type")).startsWith("text/html");
      assertThat((String) off.getBody()).contains("data-status=\"error\"")
          .contains("OAUTH_CLIENT_ID is not set").contains("advanced mode");
    }
  }

  @Test
  void tellsTheConsoleOAuthIsOn() throws Exception {
    assertThat(JSON.readTree((String) oauth.status(FakeRequest.get("oauth/status")).getBody()).path("configured")
        .asBoolean()).isTrue();
  }

  private String connect() {
    HttpResponseMessage page = callback(signIn(organizationUrl));
    assertThat(page.getStatusCode()).as((String) page.getBody()).isEqualTo(200);
    return ((String) page.getBody()).replaceAll("(?s).*data-organization-id=\"([0-9a-f]+)\".*", "$1");
  }

  private Map<String, String> signIn(String url) {
    HttpResponseMessage authorize = oauth.authorize(FakeRequest.get("oauth/authorize").query("organizationUrl", url));
    assertThat(authorize.getStatusCode()).as(String.valueOf(authorize.getBody())).isEqualTo(302);
    URI location = URI.create(authorize.getHeader("Location"));
    assertThat(location.toString()).startsWith(entra.authority() + "/oauth2/v2.0/authorize");
    return entra.signIn(location);
  }

  private HttpResponseMessage callback(Map<String, String> query) {
    FakeRequest request = FakeRequest.get("oauth/callback");
    query.forEach(request::query);
    return oauth.callback(request);
  }

  private JsonNode get(String id) {
    HttpResponseMessage response = organizations.get(FakeRequest.get("organizations/" + id), id);
    assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(200);
    try {
      return JSON.readTree((String) response.getBody());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The {@code iss} claim of a JWT, or "" for anything else. */
  private static String issuerOf(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return "";
    }
    try {
      JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return claims.path("iss").asText("");
    } catch (Exception e) {
      return "";
    }
  }
}
