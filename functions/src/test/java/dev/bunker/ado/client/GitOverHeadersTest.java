package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TransportHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's credential headers drive real git (CGit and JGit): nothing goes in the URL. */
class GitOverHeadersTest {

  private static AdoSandbox sandbox;
  private static AzureDevOpsClient client;
  private static Credential pat;

  @TempDir
  Path work;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    pat = Credential.personalAccessToken(sandbox.pat());
    client = AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/"))).build();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void cgitMirrorsEveryRefAndPushesIntoACreatedRepository() throws Exception {
    var project = sandbox.organization("cgit").project("Web");
    HostedRepository site = project.repository("site").withBranches(3).withAnnotatedTag("v1").withMerge()
        .withBinaryFile("assets/logo.bin", 50_000).withManyRefs(200).withPullRequests(3);
    OrganizationUrl org = OrganizationUrl.parse(sandbox.organization("cgit").url().toString());
    Repository listed = client.repositories(org, pat, "Web").get(0);

    Path mirror = work.resolve("mirror.git");
    git(work, "clone", "--mirror", listed.remoteUrl().toString(), mirror.toString());
    assertThat(git(mirror, "for-each-ref", "--format=%(refname)").lines().toList())
        .containsExactlyInAnyOrderElementsOf(site.refs().keySet());

    Repository target = client.createRepository(org, pat, project.id().toString(), "site-restored");
    git(mirror, "push", target.remoteUrl().toString(), "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
    assertThat(project.repository("site-restored").refs())
        .containsAllEntriesOf(Map.of("refs/tags/v1", site.refs().get("refs/tags/v1"),
            "refs/heads/main", site.refs().get("refs/heads/main")));
    assertThat(sandbox.requests(r -> r.isGit())).allMatch(r -> r.query() == null || !r.query().contains("@"));
    // listed as http://cgit@…: git authenticates with the PAT (the sandbox answers 401 to the user alone)
    assertThat(sandbox.requests(r -> r.isGit() && r.path().startsWith("/cgit/"))).isNotEmpty()
        .allMatch(r -> "Basic".equals(r.authScheme()) && r.status() == 200);
  }

  @Test
  void jgitFetchesWithTheHeadersOfABearerCredential() throws Exception {
    String token = sandbox.bearerToken("jgit-bearer-" + System.nanoTime());
    Credential oauth = Credential.oauth(() -> token);
    HostedRepository repo = sandbox.organization("jgit").project("Tools").repository("cli").withCommits(4)
        .withPullRequests(1);
    try (Git local = Git.init().setBare(true).setDirectory(work.resolve("jgit.git").toFile()).call()) {
      local.fetch().setRemote(repo.remoteUrl().toString())
          .setRefSpecs(new RefSpec("+refs/*:refs/*"))
          .setTransportConfigCallback(t -> ((TransportHttp) t).setAdditionalHeaders(client.gitHeaders(oauth)))
          .call();
      assertThat(local.getRepository().getRefDatabase().getRefs())
          .extracting(r -> r.getName()).contains("refs/heads/main", "refs/pull/1/merge");
    }
  }

  private String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    client.gitHeaders(pat)
        .forEach((name, value) -> command.addAll(List.of("-c", "http.extraHeader=" + name + ": " + value)));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("HOME", work.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
