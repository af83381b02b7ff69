package dev.bunker.devhost;

import dev.bunker.azure.LocalFileSecretStore;
import dev.bunker.azurite.Azurite;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.VariableGroup;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admin console in headless Chromium against the real app under devhost, with its own
 * Azurite, the sandbox Azure DevOps server, and mock-oauth2-server behind {@link EntraStandIn} as
 * Entra ID. The scripts in
 * {@code src/test/browser} hold the steps and save a screenshot of each under {@code target/browser/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  private static Azurite azurite;
  private static AdoSandbox sandbox;
  private static MockOAuth2Server mockOAuth;
  private static EntraStandIn entra;
  private static DevHostProcess devhost;
  private static Organization organization;
  private static Organization oauthOrganization;
  private static Organization adminConsentOrganization;
  private static Organization collection;
  private static Organization savedCredentialOrganization;
  private static Organization metadataOrganization;
  private static Organization failingOrganization;
  private static Organization dashboardOrganization;
  private static Organization longNamedOrganization;
  private static String pat;

  @BeforeAll
  static void startBunker() throws Exception {
    // Not the shared emulator: the console's first page depends on there being no organization yet.
    azurite = Azurite.start(Azurite.Options.inMemory());
    sandbox = AdoSandbox.start();
    pat = sandbox.pat();
    organization = sandbox.organization("console-e2e");
    Project web = organization.project("Web");
    web.repository("site").withBranches(2).withAnnotatedTag("v1");
    web.repository("api").withCommits(3);
    web.repository("landing"); // empty: a restore may fill it
    oauthOrganization = sandbox.organization("console-oauth");
    oauthOrganization.project("Docs").repository("handbook").withCommits(1);
    adminConsentOrganization = sandbox.organization("console-tenant-wide");
    adminConsentOrganization.project("Ops").repository("runbooks").withCommits(1);
    collection = sandbox.collection("tfs/DefaultCollection");
    collection.project("OnPrem").repository("app").withCommits(2).withTag("r1");
    savedCredentialOrganization = sandbox.organization("console-saved-credential");
    savedCredentialOrganization.project("Tools").repository("scripts").withCommits(1);
    failingOrganization = sandbox.organization("console-failing");
    failingOrganization.project("Archive").repository("notes").withCommits(1);
    dashboardOrganization = sandbox.organization("console-dashboard");
    Project shop = dashboardOrganization.project("Shop");
    shop.repository("storefront").withCommits(3).withTag("v1");
    shop.repository("payments").withCommits(2);
    // Its remote URL points off the organization, so Bunker refuses to fetch it: failing, with a reason.
    shop.repository("legacy").withCommits(1)
        .listedWithRemoteUrl("https://evil.example/console-dashboard/Shop/_git/legacy");
    // Registered beside it: its URL has no hyphen to break at, as a Server collection's often has none.
    longNamedOrganization = sandbox.organization("consoledashboardneighbourwithalongname");
    longNamedOrganization.project("Shelf").repository("books").withCommits(1);
    metadataOrganization = sandbox.organization("console-metadata");
    withMetadata(metadataOrganization.project("Web"));
    // No work items or pipelines: a metadata restore fills it. A pipeline is restored only when its
    // repository exists in the target (restored first); the sandbox's "ci" builds the repository "Web".
    metadataOrganization.project("Restored").repository("Web");

    int port = DevHostProcess.freePort();
    String redirectUri = "http://localhost:" + port + "/api/oauth/callback";
    mockOAuth = new MockOAuth2Server();
    mockOAuth.start();
    entra = EntraStandIn.start(mockOAuth, "console-tenant", "bunker-console-it", URI.create(redirectUri));
    String issuer = entra.issuer();
    sandbox.acceptBearerTokens(token -> claims(token).contains("\"iss\":\"" + issuer));
    // The app reads its OAuth client secret from the local secret store (devhost runs here).
    LocalFileSecretStore.open(Path.of(".data", "secrets.json"), Map.of())
        .put("oauth-client-secret", "console-it-" + UUID.randomUUID());

    devhost =
        DevHostProcess.forApp(Path.of(System.getProperty("bunker.app", "../functions/target/azure-functions/bunker")))
            .port(port)
            .setting("AzureWebJobsStorage", azurite.connectionString())
            .setting("BACKUP_STORAGE", azurite.connectionString())
            .setting("ALLOWED_ORGANIZATION_URLS", sandbox.url() + "/")
            .setting("OAUTH_CLIENT_ID", "bunker-console-it")
            .setting("OAUTH_AUTHORITY", entra.authority())
            .setting("OAUTH_REDIRECT_URI", redirectUri)
            .start("console");
  }

  @AfterAll
  static void stopBunker() throws Exception {
    if (devhost != null) {
      devhost.close();
    }
    if (entra != null) {
      entra.close();
    }
    if (mockOAuth != null) {
      mockOAuth.shutdown();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  /** What needs no backup: the shell, the sign-in popup paths, required fields, narrow screens. */
  @Test
  @Order(1)
  void consoleShellWorksInChromium() throws Exception {
    runScript("console-shell.mjs", Duration.ofMinutes(3), Map.of(
        "BUNKER_OTHER_ORIGIN_URL", devhost.uri("").toString().replace("://localhost:", "://127.0.0.1:")));
  }

  @Test
  @Order(2)
  void adminConnectsBacksUpDownloadsAndRestoresFromTheConsole() throws Exception {
    runScript("console-e2e.mjs", Duration.ofMinutes(8), withToken(organization, Map.of(
        "PROJECT", "Web",
        "REPOSITORIES", "site,api",
        "EMPTY_REPOSITORY", "landing",
        "OAUTH_ORG_URL", oauthOrganization.url().toString(),
        "ADMIN_CONSENT_ORG_URL", adminConsentOrganization.url().toString(),
        "ENTRA_URL", entra.url())));
  }

  @Test
  @Order(3)
  void adminKeepsTokensInTheCredentialsListAndBacksUpAServerCollection() throws Exception {
    // Connected with a token that was revoked since, as one expires: its backups fail.
    String revoked = sandbox.pat();
    register(failingOrganization, revoked);
    sandbox.revoke(revoked);
    runScript("console-server-credentials.mjs", Duration.ofMinutes(6), Map.of(
        "FAILING_ORG_URL", failingOrganization.url().toString(),
        "COLLECTION_URL", collection.url().toString(),
        "COLLECTION_USERNAME", "svc-bunker",
        "COLLECTION_PAT", sandbox.pat(),
        "COLLECTION_NEW_PAT", sandbox.pat(),
        "COLLECTION_REPOSITORY", "app",
        "SAVED_CREDENTIAL_ORG_URL", savedCredentialOrganization.url().toString(),
        "SAVED_PAT", sandbox.pat(),
        "SPARE_PAT", sandbox.pat()));
  }

  @Test
  @Order(4)
  void adminSeesRestoresAndDownloadsProjectMetadataFromTheConsole() throws Exception {
    runScript("console-metadata.mjs", Duration.ofMinutes(6), withToken(metadataOrganization, Map.of(
        "PROJECT", "Web",
        "WORK_ITEMS", "12",
        "SECRET_VARIABLE", "dbPassword",
        "SECRET_VALUES", String.join(",", SECRETS.values()),
        "TARGET_PROJECT", "Restored")));
  }

  @Test
  @Order(5)
  void adminSeesProtectionAndHistoryOnTheDashboardAndTheAuditTrail() throws Exception {
    register(dashboardOrganization, sandbox.pat());
    register(longNamedOrganization, sandbox.pat());
    runScript("console-dashboard.mjs", Duration.ofMinutes(6), Map.of(
        "ORG_URL", dashboardOrganization.url().toString(),
        "LONG_ORG_URL", longNamedOrganization.url().toString(),
        "PROTECTED_REPOSITORIES", "storefront,payments",
        "FAILING_REPOSITORY", "legacy"));
  }

  /** Registers {@code org} with {@code token} through Bunker's API, as the console's advanced mode does. */
  private static void register(Organization org, String token) throws Exception {
    String body = "{\"url\":\"" + org.url() + "\",\"pat\":\"" + token + "\"}";
    HttpResponse<String> response = DevHostProcess.HTTP.send(HttpRequest.newBuilder(devhost.uri("/api/organizations"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("could not register " + org.url() + ": " + response.body());
    }
  }

  /** Runs a script of {@code src/test/browser} against devhost (BUNKER_URL) with {@code environment}. */
  private static void runScript(String script, Duration timeout, Map<String, String> environment) throws Exception {
    Map<String, String> all = new HashMap<>(environment);
    all.put("BUNKER_URL", devhost.uri("").toString());
    BrowserScripts.run(script, all, timeout);
  }

  /** {@code environment} plus the organization a script connects by token (ORG_URL) and the token (PAT). */
  private static Map<String, String> withToken(Organization org, Map<String, String> environment) {
    Map<String, String> all = new HashMap<>(environment);
    all.put("ORG_URL", org.url().toString());
    all.put("PAT", pat);
    return all;
  }

  /** Secret variables (name to value) of the metadata project: more than the console lists without a click. */
  private static final Map<String, String> SECRETS = Map.of("dbPassword", "hunter2-db", "storageKey", "k3y-storage",
      "smtpPassword", "m4il-smtp", "apiToken", "t0ken-api", "webhookSecret", "h00k-secret");

  /**
   * Pull requests, work items (with a comment and an attachment), a pipeline with a secret variable
   * and a variable group with several.
   */
  private static void withMetadata(Project project) {
    project.workItems(12);
    project.workItems().get(3).comment("Kim Lead", "Seen again on Tuesday")
        .attach("screenshot.png", "not really a png".getBytes(StandardCharsets.UTF_8));
    project.repository("site").withCommits(2).pullRequest("Add dark mode")
        .description("Dark mode for the site, as asked in work item 3.").thread("Keep the old colours?", "Yes");
    project.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "s1gn-me-ci");
    VariableGroup shared = project.variableGroup("shared").variable("region", "westeurope");
    SECRETS.forEach(shared::secret);
  }

  /** The claims of a JWT, as JSON text ("" when it is not one). */
  private static String claims(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return "";
    }
    try {
      return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(" ", "");
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
