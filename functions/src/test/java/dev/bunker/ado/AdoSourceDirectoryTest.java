package dev.bunker.ado;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.ado.client.AllowList;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.FakeTime;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.core.model.GitCredential;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceException.Reason;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.Project;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The domain's source directory over the real client and the sandbox Azure DevOps, over HTTP. */
class AdoSourceDirectoryTest {
  private static AdoSandbox sandbox;
  private static AdoSourceDirectory directory;
  private static GitCredential pat;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    pat = GitCredential.pat(null, Secret.of(sandbox.pat()));
    FakeTime time = new FakeTime();
    directory = new AdoSourceDirectory(AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/")))
        .sleeper(time).clock(time).random(new Random(3)).maxAttempts(2)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).build());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @AfterEach
  void disarm() {
    sandbox.faults().clear();
  }

  private static SourceAccess access(String organization, GitCredential credential) {
    return new SourceAccess(sandbox.organization(organization).url().toString(), credential);
  }

  @Test
  void listsEveryRepositoryWithProjectWikisDisabledAndEmptyOnes() {
    Project web = sandbox.organization("listing").project("Web");
    web.repository("site").withCommits(2);
    web.repository("old").withCommits(1).disabled();
    web.repository("blank");
    web.withProjectWiki();
    sandbox.organization("listing").project("Ops").repository("scripts").withCommits(1);

    List<SourceRepository> listed = directory.repositories(access("listing", pat));

    assertThat(listed).extracting(SourceRepository::project, SourceRepository::name, SourceRepository::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Web", "site", RepositoryKind.GIT),
            org.assertj.core.groups.Tuple.tuple("Web", "old", RepositoryKind.GIT),
            org.assertj.core.groups.Tuple.tuple("Web", "blank", RepositoryKind.GIT),
            org.assertj.core.groups.Tuple.tuple("Web", "Web.wiki", RepositoryKind.WIKI),
            org.assertj.core.groups.Tuple.tuple("Ops", "scripts", RepositoryKind.GIT));
    assertThat(listed).filteredOn(r -> r.name().equals("old")).singleElement()
        .satisfies(r -> assertThat(r.disabled()).isTrue());
    assertThat(listed).filteredOn(r -> r.name().equals("blank")).singleElement()
        .satisfies(r -> assertThat(r.empty()).isTrue());
    assertThat(listed).allSatisfy(r -> assertThat(r.remoteUrl()).startsWith(sandbox.url()).doesNotContain("@"));
  }

  @Test
  void findsAndCreatesRepositoriesToRestoreInto() {
    sandbox.organization("restores").project("Api").repository("service").withCommits(1);
    SourceAccess access = access("restores", pat);

    assertThat(directory.findRepository(access, "api", "SERVICE")).get()
        .satisfies(r -> assertThat(r.empty()).isFalse());
    assertThat(directory.findRepository(access, "Api", "copy")).isEmpty();

    SourceRepository created = directory.createRepository(access, "Api", "copy");
    assertThat(created.empty()).isTrue();
    assertThat(directory.findRepository(access, "Api", "copy")).get().extracting(SourceRepository::id)
        .isEqualTo(created.id());
    assertReason(() -> directory.createRepository(access, "Api", "copy"), Reason.CONFLICT);
    assertReason(() -> directory.createRepository(access, "Nope", "copy"), Reason.NOT_FOUND);
    assertReason(() -> directory.findRepository(access, "Nope", "copy"), Reason.NOT_FOUND);
  }

  @Test
  void aRepositoryGitCannotReachIsListedWithWhyAndIsNoRestoreTarget() {
    Project web = sandbox.organization("unreachable").project("Web");
    web.repository("site").withCommits(1);
    web.repository("elsewhere").listedWithRemoteUrl("https://evil.example/unreachable/Web/_git/elsewhere");
    SourceAccess access = access("unreachable", pat);

    assertThat(directory.repositories(access)).extracting(SourceRepository::name, SourceRepository::unusableBecause)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("site", null),
            org.assertj.core.groups.Tuple.tuple("elsewhere",
                "its clone URL https://evil.example/unreachable/Web/_git/elsewhere is not on the allow-list"));
    assertReason(() -> directory.findRepository(access, "Web", "elsewhere"), Reason.URL_NOT_ALLOWED);
  }

  @Test
  void connectsWithAPatAndWithABearerToken() {
    sandbox.organization("tokens").project("P");
    directory.connect(access("tokens", pat));
    directory
        .connect(access("tokens", GitCredential.bearer(Secret.of(sandbox.bearerToken("bearer-" + System.nanoTime())))));
  }

  @Test
  void refusalsCarryTheReasonAUserCanActOn() {
    sandbox.organization("refusals").project("P");
    assertReason(() -> directory.connect(access("refusals", GitCredential.pat(null, Secret.of("not-a-token")))),
        Reason.CREDENTIAL_NOT_ACCEPTED);

    sandbox.faults().failNext(2, 503);
    assertReason(() -> directory.connect(access("refusals", pat)), Reason.UNAVAILABLE);

    sandbox.clearRequests();
    assertReason(() -> directory.connect(new SourceAccess("https://evil.example/tfs/Collection", pat)),
        Reason.URL_NOT_ALLOWED);
    assertReason(() -> directory.connect(new SourceAccess("ftp://x/y", pat)), Reason.URL_NOT_ALLOWED);
    assertThat(sandbox.requests()).isEmpty();
  }

  @Test
  void httpStatusesMapToReasons() {
    OrganizationUrl org = OrganizationUrl.parse("https://dev.azure.com/contoso");
    assertThat(AdoSourceDirectory.translate(new AzureDevOpsRequestException(org, "x", 403, null, null)).reason())
        .isEqualTo(Reason.ACCESS_DENIED);
    assertThat(AdoSourceDirectory.translate(new AzureDevOpsRequestException(org, "x", 404, null, null)).reason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(AdoSourceDirectory.translate(new AzureDevOpsRequestException(org, "x", 409, null, null)).reason())
        .isEqualTo(Reason.CONFLICT);
    assertThat(AdoSourceDirectory.translate(new AzureDevOpsRequestException(org, "x", 0, null, null)).reason())
        .isEqualTo(Reason.UNAVAILABLE);
    assertThat(AdoSourceDirectory.translate(new AzureDevOpsRequestException(org, "x", 502, null, null)).reason())
        .isEqualTo(Reason.UNAVAILABLE);
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(SourceException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
