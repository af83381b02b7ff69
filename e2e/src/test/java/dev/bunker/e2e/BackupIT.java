package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Register by PAT, back up now, and check every snapshot with CGit: its bundle clones to exactly the
 * source's refs and passes fsck.
 */
@ExtendWith(Stack.Extension.class)
@Order(2)
class BackupIT {
  private static Stack stack;
  private static Organization source;
  private static String organizationId;
  private static JsonNode firstRun;

  @BeforeAll
  static void registerByInlinePatAndBackUp(Stack started) {
    stack = started;
    source = stack.sandbox.organization("backup");
    Project web = source.project("Web");
    web.repository("site").withBranches(3).withAnnotatedTag("v1").withMerge().withPullRequests(2)
        .withBinaryFile("assets/logo.bin", 64 * 1024);
    web.repository("empty");
    web.repository("legacy").withCommits(2).disabled();
    web.withProjectWiki();
    source.project("Platform").repository("infra").withCommits(3).withTag("v0.1");

    JsonNode organization = stack.api.registerWithPat(source.url().toString(), stack.newPat(), null);
    organizationId = organization.get("id").asText();
    assertThat(organization.get("auth").asText()).isEqualTo("pat");
    firstRun = stack.api.backUpNow(organizationId);
  }

  @Test
  void everyRepositoryAndTheWikiHaveASnapshotWhoseBundleClonesToTheSourceRefs() {
    assertThat(firstRun.get("status").asText()).as(firstRun.toString()).isEqualTo("succeeded");
    List<HostedRepository> backedUp = Sources.repositories(source).stream().filter(r -> !r.isDisabled()).toList();
    assertThat(backedUp).extracting(HostedRepository::name).contains("Web.wiki");
    assertThat(Sources.repositoryResults(firstRun)).hasSize(backedUp.size());

    Map<String, HostedRepository> bySnapshot = new HashMap<>();
    for (HostedRepository repository : backedUp) {
      JsonNode result = Sources.resultOf(firstRun, repository);
      assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("succeeded");
      String snapshot = Api.snapshotPath(organizationId, result.get("repositoryId").asText(),
          result.get("snapshotId").asText());
      assertThat(stack.api.snapshotRefs(organizationId, result.get("repositoryId").asText(),
          result.get("snapshotId").asText())).as(repository.toString()).isEqualTo(Sources.refs(repository));
      bySnapshot.put(snapshot, repository);
    }

    Path directory = stack.directory("bundles");
    Map<String, Path> bundles = stack.api.downloadBundles(new ArrayList<>(bySnapshot.keySet()), directory);
    for (var bundle : bundles.entrySet()) {
      HostedRepository repository = bySnapshot.get(bundle.getKey());
      Path clone = directory.resolve(repository.name() + ".git");
      CGit.cloneMirror(bundle.getValue(), clone);
      assertThat(CGit.refs(clone)).as(repository.toString()).isEqualTo(Sources.refs(repository));
      CGit.fsck(clone);
    }
  }

  @Test
  void healthSaysEveryPartAnswers() {
    JsonNode health = Api.expect(200, stack.api.get("/api/health"));
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.get("checks").size()).isGreaterThanOrEqualTo(4);
    health.get("checks")
        .forEach(check -> assertThat(check.get("status").asText()).as(health.toString()).isEqualTo("ok"));
  }

  @Test
  void aDisabledRepositoryDoesNotFailTheRunAndIsReported() {
    assertThat(firstRun.get("status").asText()).isEqualTo("succeeded");
    JsonNode legacy = stack.api.repository(organizationId, "Web", "legacy");
    assertThat(legacy.get("state").asText()).isEqualTo("disabled");
    assertThat(legacy.has("lastSnapshotId")).isFalse();
  }

  @Test
  void anEmptyRepositoryGivesAnEmptySnapshot() {
    HostedRepository empty = source.project("Web").repository("empty");
    JsonNode result = Sources.resultOf(firstRun, empty);
    assertThat(result.get("status").asText()).isEqualTo("succeeded");
    JsonNode details = Api.expect(200, stack.api.get(Api.snapshotPath(organizationId,
        result.get("repositoryId").asText(), result.get("snapshotId").asText())));
    assertThat(details.get("snapshot").get("refCount").asInt()).isZero();
    assertThat(details.get("refs")).isEmpty();
  }

  @Test
  void aBackupWithoutChangesUploadsNoPack() {
    Set<String> packsBefore = packFiles();
    JsonNode again = stack.api.backUpNow(organizationId);

    assertThat(again.get("status").asText()).isEqualTo("succeeded");
    for (JsonNode result : Sources.repositoryResults(again)) {
      assertThat(result.get("objectsAdded").asLong()).as(result.toString()).isZero();
      JsonNode snapshot = Api.expect(200, stack.api.get(Api.snapshotPath(organizationId,
          result.get("repositoryId").asText(), result.get("snapshotId").asText()))).get("snapshot");
      assertThat(snapshot.get("packBytesAdded").asLong()).as(snapshot.toString()).isZero();
    }
    assertThat(packFiles()).isEqualTo(packsBefore);
  }

  @Test
  void registersWithAStoredCredentialAndBacksUp() throws Exception {
    Organization other = stack.sandbox.organization("backup-by-credential");
    HostedRepository app = other.project("Apps").repository("app").withCommits(2).withBranches(1);
    String pat = stack.newPat();
    JsonNode credential =
        Api.expect(201, stack.api.post("/api/credentials", Map.of("name", "release bot", "token", pat)));
    assertThat(credential.toString()).doesNotContain(pat);
    assertThat(Api.expect(200, stack.api.get("/api/credentials")).toString()).doesNotContain(pat)
        .contains(credential.get("id").asText());

    JsonNode organization = Api.expect(201, stack.api.post("/api/organizations",
        Map.of("url", other.url().toString(), "credentialId", credential.get("id").asText())));
    String id = organization.get("id").asText();
    assertThat(organization.get("credentialId").asText()).isEqualTo(credential.get("id").asText());
    JsonNode run = stack.api.backUpNow(id);

    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
    JsonNode result = Sources.resultOf(run, app);
    String snapshot = Api.snapshotPath(id, result.get("repositoryId").asText(), result.get("snapshotId").asText());
    Path directory = stack.directory("credential");
    Path bundle = stack.api.downloadBundles(List.of(snapshot), directory).get(snapshot);
    CGit.cloneMirror(bundle, directory.resolve("app.git"));
    assertThat(CGit.refs(directory.resolve("app.git"))).isEqualTo(Sources.refs(app));
    CGit.fsck(directory.resolve("app.git"));
    // the credential is in use now
    assertThat(stack.api.delete("/api/credentials/" + credential.get("id").asText()).status()).isEqualTo(409);
  }

  @Test
  void aBundleUrlIsReadOnly() throws Exception {
    JsonNode result = Sources.repositoryResults(firstRun).get(0);
    String snapshot = Api.snapshotPath(organizationId, result.get("repositoryId").asText(),
        result.get("snapshotId").asText());
    stack.api.downloadBundles(List.of(snapshot), stack.directory("read-only"));
    Api.Response redirect = stack.api.get(snapshot + "/bundle");
    assertThat(redirect.status()).isEqualTo(303);
    URI sas = URI.create(redirect.header("location"));
    HttpResponse<String> overwrite = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(sas).header("x-ms-blob-type", "BlockBlob")
            .PUT(HttpRequest.BodyPublishers.ofString("not a bundle")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(overwrite.statusCode()).isEqualTo(403);
  }

  /** Pack files (not reftables) in the backup container under this organization. */
  private static Set<String> packFiles() {
    return stack.backups().listBlobs().stream()
        .map(blob -> blob.getName())
        .filter(name -> name.contains(organizationId) && name.endsWith(".pack"))
        .collect(Collectors.toSet());
  }
}
