package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.testing.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdoSandboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static AdoSandbox sandbox;
  private static String pat;
  private static HttpClient http;

  @TempDir
  Path work;

  @BeforeAll
  static void startSandbox() {
    sandbox = AdoSandbox.start();
    pat = sandbox.pat();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @AfterEach
  void noFaultLeftArmed() {
    sandbox.faults().clear();
  }

  @Test
  void cgitClonesAndPushesWithThePatInAHeader() throws Exception {
    HostedRepository site = sandbox.organization("cgit").project("Web").repository("site")
        .withBranches(2).withAnnotatedTag("v1").withMerge().withBinaryFile("logo.bin", 20_000)
        .withPullRequests(2);
    Path clone = work.resolve("clone");
    git(work, "clone", site.remoteUrl().toString(), clone.toString());
    assertThat(Files.size(clone.resolve("logo.bin"))).isEqualTo(20_000);
    assertThat(git(clone, "tag", "-l", "-n1", "v1")).contains("Release v1");
    assertThat(git(clone, "rev-list", "--merges", "--count", "HEAD").trim()).isEqualTo("1");
    assertThat(git(clone, "ls-remote", "origin")).contains("refs/pull/1/merge", "refs/pull/2/merge",
        "refs/heads/feature/2", "refs/tags/v1^{}");

    Files.writeString(clone.resolve("new.txt"), "pushed\n");
    git(clone, "add", "new.txt");
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", "push test");
    git(clone, "push", "origin", "HEAD:refs/heads/pushed");
    assertThat(site.refs()).containsKey("refs/heads/pushed");
    assertThat(sandbox.requests(RecordedRequest::isGit)).allMatch(r -> "Basic".equals(r.authScheme()));
  }

  @Test
  void servesGitThroughCgitBehindTheSameAuthenticationWhenAskedTo() throws Exception {
    try (AdoSandbox cgit = AdoSandbox.start().serveGitWithCgit()) {
      String token = cgit.pat();
      HostedRepository site = cgit.organization("fast").project("Web").repository("site")
          .withBranches(2).withAnnotatedTag("v1").withPullRequests(1);
      String header = "http.extraHeader=Authorization: Basic " + basic(token);
      Path mirror = work.resolve("mirror.git");
      Result cloned = run(work, List.of("git", "-c", header, "clone", "--mirror", site.remoteUrl().toString(),
          mirror.toString()));
      assertThat(cloned.exitCode()).as(cloned.output()).isZero();
      Result refs = run(work, List.of("git", "--git-dir=" + mirror, "for-each-ref", "--format=%(refname)"));
      assertThat(refs.output().lines().toList()).containsExactlyInAnyOrderElementsOf(site.refs().keySet());

      Result pushed = run(work, List.of("git", "-c", header, "--git-dir=" + mirror, "push",
          site.remoteUrl().toString(), "refs/heads/main:refs/heads/copy"));
      assertThat(pushed.exitCode()).as(pushed.output()).isZero();
      assertThat(site.refs()).containsKey("refs/heads/copy");

      Result anonymous = run(work, List.of("git", "ls-remote", site.remoteUrl().toString()));
      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(cgit.requests(RecordedRequest::isGit)).anyMatch(r -> "Basic".equals(r.authScheme()));
    }
  }

  @Test
  void cgitModeServesEightConcurrentMirrorClonesOfManyRepositoriesWhole() throws Exception {
    try (AdoSandbox cgit = AdoSandbox.start().serveGitWithCgit()) {
      String header = "http.extraHeader=Authorization: Basic " + basic(cgit.pat());
      Organization organization = cgit.organization("many");
      List<HostedRepository> repositories = new ArrayList<>();
      for (int r = 0; r < 40; r++) {
        repositories.add(organization.project("project-" + r / 20).repository("repo-" + r % 20).withCommits(3)
            .withBranches(1).withTag("v1"));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Result>> clones = new ArrayList<>();
        for (HostedRepository repository : repositories) {
          Path mirror = work.resolve(repository.id() + ".git");
          clones.add(pool.submit(() -> run(work, List.of("git", "-c", header, "clone", "--mirror",
              repository.remoteUrl().toString(), mirror.toString()))));
        }
        for (int i = 0; i < clones.size(); i++) {
          Result cloned = clones.get(i).get(2, TimeUnit.MINUTES);
          assertThat(cloned.exitCode()).as(cloned.output()).isZero();
          Path mirror = work.resolve(repositories.get(i).id() + ".git");
          Result refs = run(work, List.of("git", "--git-dir=" + mirror, "for-each-ref", "--format=%(refname)"));
          assertThat(refs.output().lines().toList())
              .containsExactlyInAnyOrderElementsOf(repositories.get(i).refs().keySet());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void jgitClonesWithABearerTokenAndPushesWithUserAndPat() throws Exception {
    String token = sandbox.bearerToken("bearer-" + System.nanoTime());
    HostedRepository repo = sandbox.organization("jgit").project("Tools").repository("cli").withCommits(3);
    try (Git clone = Git.cloneRepository().setURI(repo.remoteUrl().toString())
        .setDirectory(work.resolve("jgit").toFile())
        .setTransportConfigCallback(t -> ((TransportHttp) t).setAdditionalHeaders(
            Map.of("Authorization", "Bearer " + token)))
        .call()) {
      assertThat(clone.log().call()).hasSize(3);
      Files.writeString(work.resolve("jgit/x.txt"), "x");
      clone.add().addFilepattern("x.txt").call();
      clone.commit().setMessage("x").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
      clone.push().setCredentialsProvider(new UsernamePasswordCredentialsProvider("anyone", pat)).call();
    }
    assertThat(repo.git().exactRef("refs/heads/main").getObjectId())
        .isEqualTo(ObjectId.fromString(git(work.resolve("jgit"), "rev-parse", "HEAD").trim()));
  }

  @Test
  void servicesListsCloneUrlsWithTheOrganizationAsUserAndGitServesThem() throws Exception {
    Organization org = sandbox.organization("named");
    HostedRepository repo = org.project("Web").repository("site").withCommits(2);
    JsonNode listed = getJson(org.url() + "/_apis/git/repositories?api-version=7.1").at("/value/0");
    String remoteUrl = listed.get("remoteUrl").asText();
    assertThat(remoteUrl).isEqualTo(repo.remoteUrl().toString().replace("://", "://named@"));
    assertThat(listed.get("webUrl").asText()).isEqualTo(repo.remoteUrl().toString());

    try (Git clone = Git.cloneRepository().setURI(remoteUrl).setDirectory(work.resolve("named").toFile())
        .setCredentialsProvider(new UsernamePasswordCredentialsProvider("named", pat)).call()) {
      assertThat(clone.log().call()).hasSize(2);
    }
    assertThat(run(work, List.of("git", "-c", "http.extraHeader=Authorization: Basic " + basic(pat),
        "ls-remote", remoteUrl)).exitCode()).isZero();
  }

  @Test
  void lfsDownloadsTakeTheHeaderTheBatchAnswerAsksFor() throws Exception {
    byte[] logo = "a logo, in LFS".getBytes(StandardCharsets.UTF_8);
    HostedRepository repo = sandbox.organization("lfs-header").project("Web").repository("site")
        .withLfsFile("logo.png", logo);
    String oid = Sha256.hex(logo);
    HttpResponse<String> batch = http.send(HttpRequest.newBuilder(
        URI.create(repo.remoteUrl() + "/info/lfs/objects/batch"))
        .header("Authorization", "Basic " + basic(pat)).header("Content-Type", "application/vnd.git-lfs+json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"download\",\"transfers\":[\"basic\"],"
            + "\"objects\":[{\"oid\":\"" + oid + "\",\"size\":" + logo.length + "}]}"))
        .build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode download = JSON.readTree(batch.body()).at("/objects/0/actions/download");
    assertThat(download.get("header")).isEqualTo(JSON.readTree("{\"Accept\":\"application/vnd.git-lfs\"}"));

    HttpRequest.Builder object = HttpRequest.newBuilder(URI.create(download.get("href").asText()))
        .header("Authorization", "Basic " + basic(pat));
    assertThat(http.send(object.copy().header("Accept", "application/octet-stream").build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(406);
    HttpResponse<byte[]> fetched = http.send(object.header("Accept", "application/vnd.git-lfs").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(logo);
  }

  @Test
  void gitWithoutOrWithWrongCredentialsIsRefused() throws Exception {
    HostedRepository repo = sandbox.organization("refuse").project("P").repository("r").withCommits(1);
    Result anonymous = run(work, List.of("git", "ls-remote", repo.remoteUrl().toString()));
    Result wrong = run(work, List.of("git", "-c", "http.extraHeader=Authorization: Basic "
        + basic("not-a-pat"), "ls-remote", repo.remoteUrl().toString()));
    assertThat(anonymous.exitCode()).isNotZero();
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(sandbox.requests(r -> r.path().startsWith("/refuse/")))
        .extracting(RecordedRequest::status).containsOnly(401);
  }

  @Test
  void disabledRepositoryAnswers403ToGitAndSaysSoInTheList() throws Exception {
    Organization org = sandbox.organization("disabled");
    HostedRepository repo = org.project("P").repository("old").withCommits(1).disabled();
    Result result = run(work, List.of("git", "-c", "http.extraHeader=Authorization: Basic " + basic(pat),
        "ls-remote", repo.remoteUrl().toString()));
    assertThat(result.exitCode()).isNotZero();
    assertThat(sandbox.requests(r -> r.path().startsWith("/disabled/P/_git/")))
        .extracting(RecordedRequest::status).contains(403);
    JsonNode list = getJson(org.url() + "/P/_apis/git/repositories?api-version=7.1");
    assertThat(list.at("/value/0/isDisabled").asBoolean()).isTrue();
  }

  @Test
  void projectsComeInPagesLinkedByContinuationTokens() throws Exception {
    Organization org = sandbox.organization("paged").pageSize(2);
    for (int i = 1; i <= 5; i++) {
      org.project("Project " + i);
    }
    List<String> names = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      HttpResponse<String> page = get(org.url() + "/_apis/projects?api-version=7.1"
          + (token == null ? "" : "&continuationToken=" + token), pat);
      JSON.readTree(page.body()).get("value").forEach(p -> names.add(p.get("name").asText()));
      token = page.headers().firstValue("x-ms-continuationtoken").orElse(null);
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(names).containsExactly("Project 1", "Project 2", "Project 3", "Project 4", "Project 5");
  }

  @Test
  void hiddenWikiRepositoryIsListedOnlyWhenAskedFor() throws Exception {
    Organization org = sandbox.organization("wikis");
    Project project = org.project("Docs");
    project.repository("handbook").asCodeWiki("Handbook");
    HostedRepository wiki = project.withProjectWiki();
    assertThat(getJson(org.url() + "/Docs/_apis/git/repositories").get("count").asInt()).isEqualTo(1);
    JsonNode all = getJson(org.url() + "/_apis/git/repositories?includeHidden=true&api-version=7.1");
    assertThat(all.findValuesAsText("name")).contains("Docs.wiki", "handbook");
    JsonNode wikis = getJson(org.url() + "/Docs/_apis/wiki/wikis?api-version=7.1");
    assertThat(wikis.findValuesAsText("type")).containsExactlyInAnyOrder("projectWiki", "codeWiki");
    assertThat(wikis.findValuesAsText("repositoryId")).contains(wiki.id().toString());
  }

  @Test
  void badCredentialGetsASignInPageUnlessRedirectsAreSuppressed() throws Exception {
    String url = sandbox.organization("signin").url() + "/_apis/connectionData";
    HttpResponse<String> page = get(url, "wrong");
    assertThat(page.statusCode()).isEqualTo(203);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    HttpResponse<String> suppressed = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Basic " + basic("wrong"))
        .header("X-TFS-FedAuthRedirect", "Suppress").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(suppressed.statusCode()).isEqualTo(401);
    assertThat(get(url, null).statusCode()).isEqualTo(401);
    assertThat(getJson(url).at("/authenticatedUser/providerDisplayName").asText()).startsWith("Sandbox User");
  }

  @Test
  void serverCollectionRefusesTooNewApiVersionsWithTheOutOfRangeMessage() throws Exception {
    Organization collection = sandbox.collection("tfs/DefaultCollection");
    collection.project("OnPrem").repository("app").withCommits(1);
    HttpResponse<String> tooNew = get(collection.url() + "/_apis/projects?api-version=7.1", pat);
    assertThat(tooNew.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(tooNew.body());
    assertThat(error.get("message").asText()).isEqualTo("The requested REST API version of 7.1 is out of "
        + "range for this server. The latest REST API version this server supports is 6.0.");
    assertThat(error.get("typeKey").asText()).isEqualTo("VssVersionOutOfRangeException");
    assertThat(error.has("$id") && error.has("innerException") && error.has("errorCode")).isTrue();
    JsonNode repos = getJson(collection.url() + "/OnPrem/_apis/git/repositories?api-version=6.0");
    assertThat(repos.at("/value/0/remoteUrl").asText())
        .isEqualTo(sandbox.url() + "/tfs/DefaultCollection/OnPrem/_git/app");
    assertThat(run(work, List.of("git", "-c", "http.extraHeader=Authorization: Basic " + basic(pat),
        "ls-remote", repos.at("/value/0/remoteUrl").asText())).exitCode()).isZero();
  }

  @Test
  void faultsAnswerTheNextCallsThenStop() throws Exception {
    String url = sandbox.organization("faults").url() + "/_apis/projects?api-version=7.1";
    sandbox.faults().throttleNext(1, Duration.ofMillis(1500)).failNext(2, 503).redirectNextToSignIn(1);
    HttpResponse<String> throttled = get(url, pat);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
    assertThat(throttled.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    assertThat(get(url, pat).statusCode()).isEqualTo(503);
    assertThat(get(url, pat).statusCode()).isEqualTo(503);
    HttpResponse<String> redirect = get(url, pat);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(sandbox.signInUrl().toString());
    assertThat(get(url, pat).statusCode()).isEqualTo(200);
  }

  @Test
  void resetFaultCutsTheResponseShort() {
    String url = sandbox.organization("reset").url() + "/_apis/projects?api-version=7.1";
    sandbox.faults().resetNext(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(url, pat)).isInstanceOf(IOException.class);
  }

  @Test
  void createdRepositoryIsEmptyAndAcceptsAPush() throws Exception {
    Organization org = sandbox.organization("create");
    Project project = org.project("Restore");
    String body = "{\"name\":\"restored\",\"project\":{\"id\":\"" + project.id() + "\"}}";
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(
        URI.create(org.url() + "/Restore/_apis/git/repositories?api-version=7.1"))
        .header("Authorization", "Basic " + basic(pat)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode repo = JSON.readTree(created.body());
    assertThat(repo.has("defaultBranch")).isFalse();
    HttpResponse<String> again = http.send(HttpRequest.newBuilder(
        URI.create(org.url() + "/_apis/git/repositories?api-version=7.1"))
        .header("Authorization", "Basic " + basic(pat)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(409);

    Path local = work.resolve("local");
    git(work, "init", "-q", "-b", "main", local.toString());
    Files.writeString(local.resolve("a.txt"), "a");
    git(local, "add", "a.txt");
    git(local, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "a");
    git(local, "push", repo.get("remoteUrl").asText(), "main");
    assertThat(project.repository("restored").defaultBranch()).isEqualTo(Constants.R_HEADS + "main");
  }

  /** Azure DevOps speaks the original protocol only: see {@link GitProtocol}. */
  @Test
  void gitAnswersAClientAskingForProtocolVersionTwoWithTheOriginalAdvertisement() throws Exception {
    try (AdoSandbox cgit = AdoSandbox.start().serveGitWithCgit()) {
      for (AdoSandbox served : List.of(sandbox, cgit)) {
        HostedRepository repo = served.organization("v0").project("P").repository("r").withBranches(2);
        HttpResponse<String> advertised = http.send(HttpRequest.newBuilder(
            URI.create(repo.remoteUrl() + "/info/refs?service=git-upload-pack"))
            .header("Authorization", "Basic " + basic(served.pat())).header("Git-Protocol", "version=2").build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(advertised.statusCode()).isEqualTo(200);
        assertThat(advertised.body()).contains("# service=git-upload-pack", " HEAD\0", " refs/heads/main\n",
            "multi_ack", "symref=HEAD:refs/heads/main").doesNotContain("version 2", "ls-refs");

        // git 2.39 asks for v2 by default; it falls back, and lists the refs in one request
        served.clearRequests();
        Result listed = run(work, List.of("git", "-c", "http.extraHeader=Authorization: Basic " + basic(served.pat()),
            "ls-remote", repo.remoteUrl().toString()));
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("refs/heads/main");
        assertThat(served.requests(RecordedRequest::isGit)).singleElement()
            .satisfies(r -> assertThat(r.path()).endsWith("/info/refs"));
      }
    }
  }

  /** Azure DevOps advertises no ofs-delta to fetches and no atomic to pushes: see {@link GitProtocol}. */
  @Test
  void gitAdvertisesOnlyTheCapabilitiesAzureDevOpsAdvertises() throws Exception {
    try (AdoSandbox cgit = AdoSandbox.start().serveGitWithCgit()) {
      for (AdoSandbox served : List.of(sandbox, cgit)) {
        HostedRepository repo = served.organization("caps").project("P").repository("r").withBranches(600); // over 32 KiB: JGit's server streams it, gzipped
        Map<String, List<String>> capabilities = new java.util.HashMap<>();
        for (String service : List.of("git-upload-pack", "git-receive-pack")) {
          HttpResponse<byte[]> advertised = http.send(HttpRequest.newBuilder(
              URI.create(repo.remoteUrl() + "/info/refs?service=" + service))
              .header("Authorization", "Basic " + basic(served.pat())).header("Accept-Encoding", "gzip")
              .build(), HttpResponse.BodyHandlers.ofByteArray());
          assertThat(advertised.statusCode()).isEqualTo(200);
          assertThat(advertised.headers().firstValue("Content-Encoding")).isEmpty();
          assertThat(advertised.headers().firstValueAsLong("Content-Length")).hasValue(advertised.body().length);
          String body = new String(advertised.body(), StandardCharsets.UTF_8);
          int nul = body.indexOf('\0');
          capabilities.put(service, List.of(body.substring(nul + 1, body.indexOf('\n', nul)).split(" ")));
          // every line is still a well-formed pkt-line, every ref still listed
          assertThat(body.lines().filter(l -> l.contains(" refs/heads/"))).hasSize(601);
        }
        assertThat(capabilities.get("git-upload-pack")).contains("multi_ack", "multi_ack_detailed", "thin-pack",
            "side-band-64k", "no-done", "symref=HEAD:refs/heads/main").doesNotContain("ofs-delta", "agent=git/2.39.5")
            .allMatch(c -> c.startsWith("symref=") || List.of("multi_ack", "thin-pack", "side-band", "side-band-64k",
                "no-progress", "multi_ack_detailed", "no-done", "shallow", "allow-tip-sha1-in-want", "filter")
                .contains(c));
        assertThat(capabilities.get("git-receive-pack")).contains("report-status", "delete-refs", "side-band-64k")
            .doesNotContain("atomic");
        // an empty repository: a push's capabilities come on a line of their own (a fetch's may not come)
        HostedRepository empty = served.organization("caps").project("P").repository("empty");
        for (String service : List.of("git-upload-pack", "git-receive-pack")) {
          String body = http
              .send(HttpRequest.newBuilder(URI.create(empty.remoteUrl() + "/info/refs?service=" + service))
                  .header("Authorization", "Basic " + basic(served.pat())).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
          if (service.equals("git-receive-pack")) {
            assertThat(body).contains(" capabilities^{}\0", "report-status").doesNotContain(" atomic");
          } else {
            assertThat(body).doesNotContain("ofs-delta");
          }
        }

        // git fetches and pushes with what is left; a push asking for atomic is refused by git itself
        Path clone = work.resolve("caps-" + served.servesGitWithCgit());
        String auth = "http.extraHeader=Authorization: Basic " + basic(served.pat());
        Result cloned = run(work, List.of("git", "-c", auth, "clone", "--mirror", repo.remoteUrl().toString(),
            clone.toString()));
        assertThat(cloned.exitCode()).as(cloned.output()).isZero();
        Result atomic = run(clone, List.of("git", "-c", auth, "push", "--atomic", repo.remoteUrl().toString(),
            "refs/heads/main:refs/heads/atomic"));
        assertThat(atomic.exitCode()).isNotZero();
        assertThat(atomic.output()).contains("does not support --atomic");
      }
    }
  }

  /** Azure DevOps refuses an upload-pack request whose capabilities lack multi_ack: see {@link GitProtocol}. */
  @Test
  void uploadPackWithCapabilitiesButNoMultiAckIsRefusedWithTf401041() throws Exception {
    try (AdoSandbox cgit = AdoSandbox.start().serveGitWithCgit()) {
      for (AdoSandbox served : List.of(sandbox, cgit)) {
        HostedRepository repo = served.organization("ack").project("P").repository("r").withCommits(2);
        String tip = repo.refs().get("refs/heads/main").name();
        Map<String, Integer> statusByWant = new java.util.LinkedHashMap<>();
        for (String want : List.of("want " + tip + " side-band-64k ofs-delta agent=git/2.39.5",
            "want " + tip + " side-band-64k", "want " + tip + " multi_ack side-band-64k ofs-delta agent=git/2.39.5",
            "want " + tip + " multi_ack_detailed side-band-64k ofs-delta", "want " + tip)) {
          for (boolean gzip : List.of(false, true)) { // JGit gzips these bodies whenever that is smaller
            byte[] body = (pktLine(want + "\n") + "0000" + pktLine("done\n")).getBytes(StandardCharsets.US_ASCII);
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(repo.remoteUrl() + "/git-upload-pack"))
                .header("Authorization", "Basic " + basic(served.pat()))
                .header("Content-Type", "application/x-git-upload-pack-request");
            if (gzip) {
              java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
              try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(zipped)) {
                out.write(body);
              }
              post.header("Content-Encoding", "gzip");
              body = zipped.toByteArray();
            }
            HttpResponse<String> answer = http.send(post.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
            Integer plain = statusByWant.put(want.replace(tip, "<tip>"), answer.statusCode());
            assertThat(plain == null || plain == answer.statusCode()).as("gzipped as plain: " + want).isTrue();
            if (answer.statusCode() == 400) {
              assertThat(answer.body()).contains(GitProtocol.MULTI_ACK_REFUSED);
            } else {
              assertThat(answer.body()).contains("PACK");
            }
          }
        }
        assertThat(statusByWant).containsExactly(
            Map.entry("want <tip> side-band-64k ofs-delta agent=git/2.39.5", 400),
            Map.entry("want <tip> side-band-64k", 400),
            Map.entry("want <tip> multi_ack side-band-64k ofs-delta agent=git/2.39.5", 200),
            Map.entry("want <tip> multi_ack_detailed side-band-64k ofs-delta", 200),
            Map.entry("want <tip>", 200));
      }
    }
  }

  private static String pktLine(String payload) {
    return String.format("%04x", payload.length() + 4) + payload;
  }

  @Test
  void requestLogNamesTheSchemeButNeverTheSecret() throws Exception {
    getJson(sandbox.organization("log").url() + "/_apis/connectionData");
    assertThat(sandbox.requests(r -> r.path().startsWith("/log/"))).singleElement()
        .satisfies(r -> {
          assertThat(r.authScheme()).isEqualTo("Basic");
          assertThat(r.status()).isEqualTo(200);
        });
    assertThat(sandbox.requests().toString()).doesNotContain(pat).doesNotContain(basic(pat));
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response = get(url, pat);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Basic " + basic(token));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String token) {
    return Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8));
  }

  record Result(int exitCode, String output) {}

  /** Runs git with the PAT in a header, failing the test on a non-zero exit. */
  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "http.extraHeader=Authorization: Basic " + basic(pat)));
    command.addAll(List.of(args));
    Result result = run(dir, command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  private static Result run(Path dir, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("HOME", dir.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }
}
