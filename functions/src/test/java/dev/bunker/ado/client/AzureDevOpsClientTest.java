package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the sandbox Azure DevOps over real HTTP. */
class AzureDevOpsClientTest {

  private static AdoSandbox sandbox;
  private static Credential pat;

  private FakeTime time;
  private AzureDevOpsClient client;

  @BeforeAll
  static void startSandbox() {
    sandbox = AdoSandbox.start();
    pat = Credential.personalAccessToken(sandbox.pat());
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @BeforeEach
  void newClient() {
    time = new FakeTime();
    client = clientBuilder().build();
  }

  @AfterEach
  void disarmFaults() {
    sandbox.faults().clear();
  }

  private AzureDevOpsClient.Builder clientBuilder() {
    return AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/")))
        .sleeper(time).clock(time).random(new Random(7))
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
        .maxAttempts(5)
        .requestTimeout(Duration.ofSeconds(5));
  }

  private static OrganizationUrl url(Organization organization) {
    return OrganizationUrl.parse(organization.url().toString());
  }

  private static List<RecordedRequest> requestsTo(Organization organization) {
    return sandbox.requests(r -> r.path().startsWith("/" + organization.path() + "/"));
  }

  @Test
  void connectNamesTheAuthenticatedUser() {
    Organization org = sandbox.organization("connect");
    ConnectionData connection = client.connect(url(org), pat);
    assertThat(connection.userId()).isNotBlank();
    assertThat(connection.userDisplayName()).startsWith("Sandbox User");
    assertThat(connection.deploymentType()).isEqualTo("hosted");
    assertThat(connection.apiVersion()).isEqualTo("7.1");
    assertThat(requestsTo(org)).singleElement().satisfies(r -> assertThat(r.queryParameter("api-version"))
        .as("connectionData is a preview resource").isEqualTo("7.1-preview.1"));
  }

  @Test
  void bearerTokensFromATokenSourceAreAccepted() {
    String token = sandbox.bearerToken("access-token-" + System.nanoTime());
    Credential oauth = Credential.oauth(() -> token);
    Organization org = sandbox.organization("oauth");
    org.project("Web");
    assertThat(client.projects(url(org), oauth)).extracting(Project::name).containsExactly("Web");
    assertThat(requestsTo(org)).extracting(RecordedRequest::authScheme).containsOnly("Bearer");
  }

  @Test
  void listsProjectsAcrossSeveralPages() {
    Organization org = sandbox.organization("paging").pageSize(2);
    for (int i = 1; i <= 7; i++) {
      org.project("Project " + i);
    }
    org.project("Being created").state("createPending");

    List<Project> projects = client.projects(url(org), pat);

    assertThat(projects).extracting(Project::name).containsExactly(
        "Project 1", "Project 2", "Project 3", "Project 4", "Project 5", "Project 6", "Project 7");
    assertThat(projects).allMatch(Project::isUsable);
    assertThat(requestsTo(org)).extracting(r -> r.queryParameter("continuationToken"))
        .containsExactly(null, "2", "4", "6");
  }

  @Test
  void survivesThrottlingAndWaitsAsLongAsRetryAfterSays() {
    Organization org = sandbox.organization("throttled");
    org.project("Web");
    sandbox.faults().throttleNext(2, Duration.ofSeconds(3));

    assertThat(client.projects(url(org), pat)).hasSize(1);

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    assertThat(requestsTo(org)).extracting(RecordedRequest::status).containsExactly(429, 429, 200);
  }

  @Test
  void slowsDownBeforeThrottlingWhenRateLimitHeadersWarn() {
    Organization org = sandbox.organization("warned");
    org.project("Web");
    sandbox.faults().warnRateLimitNext(1, Duration.ofSeconds(20));

    client.projects(url(org), pat);
    assertThat(time.sleeps()).isEmpty();
    client.projects(url(org), pat);

    assertThat(time.sleeps()).singleElement()
        .satisfies(wait -> assertThat(wait).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(21)));
  }

  @Test
  void retriesServerErrorsWithGrowingJitteredBackoff() {
    Organization org = sandbox.organization("flaky");
    org.project("Web");
    sandbox.faults().failNext(3, 503);

    assertThat(client.projects(url(org), pat)).hasSize(1);

    List<Duration> waits = time.sleeps();
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(waits.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(waits.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheStatus() {
    Organization org = sandbox.organization("down");
    sandbox.faults().failNext(10, 500);

    assertThatThrownBy(() -> client.projects(url(org), pat))
        .isInstanceOfSatisfying(AzureDevOpsRequestException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.getMessage()).contains("after 5 attempts", org.url().toString());
        });
    assertThat(requestsTo(org)).hasSize(5);
  }

  @Test
  void retriesADroppedConnection() {
    Organization org = sandbox.organization("dropped");
    org.project("Web");
    sandbox.faults().resetNext(1);

    assertThat(client.projects(url(org), pat)).hasSize(1);
    assertThat(time.sleeps()).hasSize(1);
  }

  @Test
  void abandonsAnAnswerThatStopsArrivingAndRetriesIt() {
    AzureDevOpsClient watchful = clientBuilder().idleBodyTimeout(Duration.ofMillis(300)).build();
    Organization org = sandbox.organization("stalled");
    org.project("Web");
    sandbox.faults().stallNext(1, Duration.ofSeconds(3));
    long started = System.nanoTime();

    assertThat(watchful.projects(url(org), pat)).hasSize(1);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not waiting out the stall, then the drop")
        .isLessThan(Duration.ofMillis(2500));
    assertThat(time.sleeps()).hasSize(1);
  }

  @Test
  void anAnswerThatStopsArrivingAfterTheLastAttemptFailsSayingSo() {
    AzureDevOpsClient watchful = clientBuilder().idleBodyTimeout(Duration.ofMillis(300)).maxAttempts(1).build();
    Organization org = sandbox.organization("stalled-for-good");
    org.project("Web");
    sandbox.faults().stallNext(1, Duration.ofSeconds(3));

    assertThatThrownBy(() -> watchful.projects(url(org), pat)).isInstanceOf(AzureDevOpsRequestException.class)
        .hasMessageContaining("the answer stopped arriving (nothing for 300 ms)");
  }

  @Test
  void withinARequestACallGivesUpAfterTwoAttemptsAndShortThrottlingPauses() {
    Organization org = sandbox.organization("within-request");
    org.project("Web");
    sandbox.faults().throttleNext(5, Duration.ofSeconds(60));

    assertThatThrownBy(() -> client.withinRequest().projects(url(org), pat))
        .isInstanceOf(AzureDevOpsRequestException.class).hasMessageContaining("429");

    assertThat(requestsTo(org)).hasSize(2);
    assertThat(time.sleeps()).isNotEmpty()
        .allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(10)));
  }

  @Test
  void abandonsACallThatTakesTooLongAndRetriesIt() {
    AzureDevOpsClient impatient = clientBuilder().requestTimeout(Duration.ofMillis(300)).build();
    Organization org = sandbox.organization("slow");
    org.project("Web");
    sandbox.faults().slowNext(1, Duration.ofSeconds(2));

    assertThat(impatient.projects(url(org), pat)).hasSize(1);
    assertThat(time.sleeps()).hasSize(1);
  }

  @Test
  void wrongTokenGets401AsCredentialNotAccepted() {
    Organization org = sandbox.organization("wrong-pat");
    assertThatThrownBy(() -> client.connect(url(org), Credential.personalAccessToken("not-registered")))
        .isInstanceOf(CredentialNotAcceptedException.class)
        .hasMessageContaining(org.url().toString())
        .hasMessageContaining("401");
    assertThat(requestsTo(org)).extracting(RecordedRequest::status).containsExactly(401);
  }

  @Test
  void signInPagesAndSignInRedirectsAreCredentialNotAccepted() {
    Organization org = sandbox.organization("signin");
    OrganizationUrl url = url(org);
    sandbox.faults().signInPageNext(1, 203);
    assertThatThrownBy(() -> client.connect(url, pat))
        .isInstanceOf(CredentialNotAcceptedException.class).hasMessageContaining("203");
    sandbox.faults().signInPageNext(1, 200);
    assertThatThrownBy(() -> client.connect(url, pat))
        .isInstanceOf(CredentialNotAcceptedException.class).hasMessageContaining("text/html");
    sandbox.faults().redirectNextToSignIn(1);
    assertThatThrownBy(() -> client.connect(url, pat))
        .isInstanceOf(CredentialNotAcceptedException.class).hasMessageContaining("sign-in page");
    sandbox.faults().redirectNext(1, URI.create("https://login.microsoftonline.com/common/oauth2/authorize"));
    assertThatThrownBy(() -> client.connect(url, pat))
        .isInstanceOf(CredentialNotAcceptedException.class);
    assertThat(sandbox.requests(r -> r.path().equals("/_signin"))).isEmpty();
  }

  @Test
  void reportsDisabledEmptyInMaintenanceAndWikiRepositories() {
    Organization org = sandbox.organization("repos");
    var web = org.project("Web");
    web.repository("site").withBranches(2);
    web.repository("fresh");
    web.repository("legacy").withCommits(1).disabled();
    web.repository("moving").withCommits(1).inMaintenance();
    web.repository("handbook").asCodeWiki("Handbook");
    HostedRepository wikiRepo = web.withProjectWiki();

    List<Repository> repositories = client.repositories(url(org), pat, web.id().toString());

    assertThat(repositories).extracting(Repository::name)
        .containsExactlyInAnyOrder("site", "fresh", "legacy", "moving", "handbook", "Web.wiki");
    assertThat(find(repositories, "site")).satisfies(r -> {
      assertThat(r.defaultBranch()).isEqualTo("refs/heads/main");
      assertThat(r.remoteUrl()).isEqualTo(org.project("Web").repository("site").remoteUrl());
      assertThat(r.projectName()).isEqualTo("Web");
    });
    assertThat(find(repositories, "fresh").isEmpty()).isTrue();
    assertThat(find(repositories, "legacy").disabled()).isTrue();
    assertThat(find(repositories, "moving").inMaintenance()).isTrue();
    assertThat(find(repositories, "Web.wiki").projectWiki()).isTrue();
    assertThat(repositories).filteredOn(Repository::projectWiki).hasSize(1);
    assertThat(client.repositories(url(org), pat)).hasSize(6);

    List<Wiki> wikis = client.wikis(url(org), pat, "Web");
    assertThat(wikis).extracting(Wiki::type).containsExactlyInAnyOrder(Wiki.Type.PROJECT_WIKI, Wiki.Type.CODE_WIKI);
    assertThat(wikis).filteredOn(w -> w.type() == Wiki.Type.PROJECT_WIKI).singleElement()
        .extracting(Wiki::repositoryId).isEqualTo(wikiRepo.id().toString());
  }

  @Test
  void servicesCloneUrlsLoseTheOrganizationAsUserAndKeepTheirHost() {
    assertThat(AzureDevOpsClient.withoutUserInfo(
        URI.create("https://contoso@dev.azure.com/contoso/Web/_git/my%20site?x=1")))
        .isEqualTo(URI.create("https://dev.azure.com/contoso/Web/_git/my%20site?x=1"));
    URI disguised = AzureDevOpsClient.withoutUserInfo(URI.create("https://dev.azure.com@evil.example/contoso/_git/x"));
    assertThat(disguised).isEqualTo(URI.create("https://evil.example/contoso/_git/x"));
    assertThat(AllowList.parse(null).allows(disguised)).isFalse();

    Organization org = sandbox.organization("services-urls");
    HostedRepository site = org.project("Web").repository("site").withCommits(1);
    assertThat(site.listedRemoteUrl()).isEqualTo(site.remoteUrl().toString()
        .replace("://", "://services-urls@"));
    assertThat(client.repositories(url(org), pat)).singleElement().satisfies(r -> {
      assertThat(r.remoteUrl()).isEqualTo(site.remoteUrl());
      assertThat(r.unusableBecause()).isNull();
    });
  }

  @Test
  void aRepositoryWhoseCloneUrlCannotBeUsedIsListedWithWhyBesideTheOthers() {
    Organization org = sandbox.organization("odd-urls");
    var web = org.project("Web");
    HostedRepository site = web.repository("site").withCommits(1);
    web.repository("elsewhere").withCommits(1)
        .listedWithRemoteUrl("https://dev.azure.com@evil.example/odd-urls/Web/_git/elsewhere");
    web.repository("garbled").listedWithRemoteUrl("http://[not a url");

    List<Repository> repositories = client.repositories(url(org), pat);

    assertThat(find(repositories, "site").remoteUrl()).isEqualTo(site.remoteUrl());
    assertThat(find(repositories, "elsewhere")).satisfies(r -> {
      assertThat(r.remoteUrl()).isNull();
      assertThat(r.unusableBecause()).isEqualTo(
          "its clone URL https://evil.example/odd-urls/Web/_git/elsewhere is not on the allow-list");
    });
    assertThat(find(repositories, "garbled")).satisfies(r -> {
      assertThat(r.remoteUrl()).isNull();
      assertThat(r.unusableBecause()).startsWith("its clone URL is not a URL");
    });
  }

  @Test
  void stepsDownToTheServersApiVersionAndRemembersIt() {
    Organization collection = sandbox.collection("tfs/DefaultCollection");
    collection.project("OnPrem").repository("app").withCommits(1);
    OrganizationUrl url = url(collection);
    assertThat(url.kind()).isEqualTo(OrganizationUrl.Kind.SERVER);

    assertThat(client.connect(url, pat).apiVersion()).isEqualTo("6.0");
    assertThat(client.repositories(url, pat, "OnPrem")).hasSize(1);
    assertThat(client.projects(url, pat)).hasSize(1);

    assertThat(requestsTo(collection)).extracting(r -> r.queryParameter("api-version") + " " + r.status())
        .containsExactly("7.1-preview.1 400", "6.0-preview.1 200", "6.0 200", "6.0 200");
    assertThat(client.apiVersion(url)).isEqualTo("6.0");
  }

  @Test
  void server2019GetsApiVersion5AndTooOldServersAClearError() {
    Organization server2019 = sandbox.collection("tfs2019/DefaultCollection").maxApiVersion("5.0");
    assertThat(client.connect(url(server2019), pat).apiVersion()).isEqualTo("5.0");

    Organization tfs2018 = sandbox.collection("tfs2018/DefaultCollection").maxApiVersion("4.1");
    assertThatThrownBy(() -> client.connect(url(tfs2018), pat))
        .isInstanceOf(AzureDevOpsRequestException.class)
        .hasMessageContaining("only up to 4.1");
  }

  @Test
  void createsAnEmptyRepositoryToRestoreIntoAndReportsATakenName() {
    Organization org = sandbox.organization("restore");
    String projectId = org.project("Target").id().toString();

    Repository created = client.createRepository(url(org), pat, projectId, "restored-site");

    assertThat(created.isEmpty()).isTrue();
    assertThat(created.remoteUrl()).isEqualTo(org.project("Target").repository("restored-site").remoteUrl());
    assertThatThrownBy(() -> client.createRepository(url(org), pat, projectId, "restored-site"))
        .isInstanceOfSatisfying(AzureDevOpsRequestException.class, e -> {
          assertThat(e.isConflict()).isTrue();
          assertThat(e.typeKey()).isEqualTo("GitRepositoryNameAlreadyExistsException");
        });
  }

  @Test
  void refusesOrganizationsOffTheAllowListBeforeAnyRequest() {
    AzureDevOpsClient cloudOnly = AzureDevOpsClient.builder(AllowList.parse(null))
        .sleeper(time).clock(time).build();
    Organization org = sandbox.organization("not-allowed");

    assertThatThrownBy(() -> cloudOnly.connect(url(org), pat))
        .isInstanceOf(OrganizationNotAllowedException.class)
        .hasMessageContaining(org.url().toString());
    assertThat(requestsTo(org)).isEmpty();
  }

  @Test
  void refusesRedirectsThatWouldLeaveTheAllowList() {
    Organization org = sandbox.organization("redirected");
    sandbox.faults().redirectNext(1, URI.create("http://169.254.169.254/metadata/instance"));

    assertThatThrownBy(() -> client.projects(url(org), pat))
        .isInstanceOfSatisfying(OrganizationNotAllowedException.class,
            e -> assertThat(e.refused()).hasHost("169.254.169.254"));
    assertThat(requestsTo(org)).extracting(RecordedRequest::status).containsExactly(302);
  }

  @Test
  void followsRedirectsThatStayOnTheAllowList() {
    Organization org = sandbox.organization("moved");
    org.project("Web");
    sandbox.faults().redirectNext(1, URI.create(org.url() + "/_apis/projects?api-version=7.1"));

    assertThat(client.projects(url(org), pat)).extracting(Project::name).containsExactly("Web");
    assertThat(requestsTo(org)).extracting(RecordedRequest::status).containsExactly(302, 200);
  }

  @Test
  void limitsConcurrentCallsPerOrganization() throws Exception {
    AzureDevOpsClient oneAtATime = clientBuilder().concurrencyPerOrganization(1).build();
    Organization org = sandbox.organization("bounded");
    sandbox.faults().slowNext(3, Duration.ofMillis(300));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      long start = System.nanoTime();
      List<Future<List<Project>>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(pool.submit(() -> oneAtATime.projects(url(org), pat)));
      }
      for (Future<List<Project>> call : calls) {
        call.get();
      }
      // Three 300 ms answers one after another cannot take less than 900 ms.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Repository find(List<Repository> repositories, String name) {
    return repositories.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
