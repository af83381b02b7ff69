package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.bunker.app.App;
import dev.bunker.app.SecretWiring;
import dev.bunker.core.World;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.restore.Bundles;
import dev.bunker.json.Json;
import dev.bunker.testing.LogCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API through the function classes, over in-memory ports. */
class ApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final List<String> bodies = new ArrayList<>();
  private final CredentialsFunction credentials = new CredentialsFunction();
  private final OrganizationsFunction organizations = new OrganizationsFunction();
  private final BackupsFunction backups = new BackupsFunction();
  private final RepositoriesFunction repositories = new RepositoriesFunction();
  private final RestoresFunction restores = new RestoresFunction();
  private final WorkersFunction workers = new WorkersFunction();
  private final TimersFunction timers = new TimersFunction();

  private final LogCapture logs = LogCapture.start();

  @BeforeEach
  void wire() {
    App.use(world.bunker);
  }

  @AfterEach
  void unwireAndCheckNoSecretLeaked() {
    App.reset();
    logs.close();
    assertThat(bodies).noneMatch(body -> body.contains(World.TOKEN));
    assertThat(logs.lines()).noneMatch(line -> line.contains(World.TOKEN));
    assertThat(world.queue.sent()).extracting(Json::write).noneMatch(message -> message.contains(World.TOKEN));
    List<Object> records = new ArrayList<>(world.catalog.credentials().list());
    for (var organization : world.catalog.organizations().list()) {
      String id = organization.value().id();
      records.add(organization.value());
      records.addAll(world.catalog.repositories().list(id));
      for (var run : world.catalog.runs().newest(id, 100)) {
        records.add(run);
        records.addAll(world.catalog.runs().results(run.id()));
      }
    }
    assertThat(records).extracting(Json::write).noneMatch(record -> record.contains(World.TOKEN));
  }

  /** A response with its JSON body parsed. */
  private record Answer(int status, JsonNode json, HttpResponseMessage response) {
    String header(String name) {
      return response.getHeader(name);
    }

    /** The field names of a problem's errors. */
    List<String> errorFields() {
      List<String> fields = new ArrayList<>();
      json.path("errors").forEach(error -> fields.add(error.path("field").asText()));
      return fields;
    }
  }

  private Answer answer(HttpResponseMessage response) {
    String body = (String) response.getBody();
    try {
      JsonNode json = body == null ? null : JSON.readTree(body);
      if (body != null) {
        bodies.add(body);
        assertThat(response.getHeader("Content-Type"))
            .isEqualTo(response.getStatusCode() >= 400 ? "application/problem+json" : "application/json");
      }
      return new Answer(response.getStatusCode(), json, response);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  private String register() {
    Answer created = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "\",\"pat\":\"" + World.TOKEN + "\"}")));
    assertThat(created.status()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  private void runWorkers() {
    List<WorkItem> items;
    while (!(items = new ArrayList<>(world.queue.all())).isEmpty()) {
      for (WorkItem item : items) {
        world.queue.take(item.getClass());
      }
      for (WorkItem item : items) {
        String message = Json.write(item);
        if (item instanceof WorkItem.Discover) {
          workers.discover(message, 1);
        } else if (item instanceof WorkItem.BackupRepository) {
          workers.backupRepository(message, 1);
        } else if (item instanceof WorkItem.ExportBundle) {
          workers.exportBundle(message, 1);
        } else if (item instanceof WorkItem.VerifySnapshots) {
          workers.verifySnapshots(message, 1);
        } else {
          workers.restore(message, 1);
        }
      }
    }
  }

  @Test
  void registersAnOrganizationWithAnInlinePatWithoutEchoingIt() {
    Answer created = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "\",\"pat\":\"" + World.TOKEN + "\",\"policy\":{\"concurrency\":2}}")));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(created.header("Location")).isEqualTo("/api/organizations/" + id);
    assertThat(created.json().path("kind").asText()).isEqualTo("cloud");
    assertThat(created.json().path("auth").asText()).isEqualTo("pat");
    assertThat(created.json().path("policy").path("concurrency").asInt()).isEqualTo(2);
    assertThat(created.json().path("policy").path("schedule").path("hours").toString()).isEqualTo("[1]");
    assertThat(answer(organizations.get(FakeRequest.get("organizations/" + id), id)).json().path("url").asText())
        .isEqualTo(World.CONTOSO);
    assertThat(answer(organizations.list(FakeRequest.get("organizations"))).json()).hasSize(1);
  }

  @Test
  void aMetadataRestoreMayNotOverwriteAndSaysWhatItMayDo() {
    String id = register();
    Answer refused = answer(new MetadataFunction().restore(FakeRequest.post("metadata-restores",
        "{\"projectId\":\"p-team\",\"snapshotId\":\"20260301T010000Z-00000001\",\"target\":{\"project\":\"Team\"},"
            + "\"onConflict\":\"overwrite\"}"),
        id));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorFields()).containsExactly("onConflict");
    assertThat(refused.json().path("errors").get(0).path("message").asText())
        .isEqualTo("must be one of \"skip\", \"rename\"");
  }

  @Test
  void aDuplicateRegistrationIsAConflict() {
    register();
    Answer again = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "/\",\"pat\":\"" + World.TOKEN + "\"}")));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("type").asText()).isEqualTo("urn:bunker:problem:conflict");
  }

  @Test
  void aRejectedPatIsUnauthorizedAndAnUnlistedUrlIsABadRequest() {
    Answer rejected = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "\",\"pat\":\"wrong-token\"}")));
    assertThat(rejected.status()).isEqualTo(401);
    Answer offList = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"https://169.254.169.254/metadata\",\"pat\":\"" + World.TOKEN + "\"}")));
    assertThat(offList.status()).isEqualTo(400);
    assertThat(offList.json().path("type").asText()).isEqualTo("urn:bunker:problem:url-not-allowed");
    assertThat(world.secrets.all()).isEmpty();
    assertThat(world.catalog.organizations().list()).isEmpty();
  }

  @Test
  void malformedJsonIsABadRequestAboutTheBody() {
    Answer answer = answer(organizations.register(FakeRequest.post("organizations", "{\"url\": ")));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("title").asText()).isNotBlank();
    assertThat(answer.json().path("status").asInt()).isEqualTo(400);
    assertThat(answer.errorFields()).containsExactly("body");
    assertThat(answer(organizations.register(FakeRequest.post("organizations", "[1]"))).errorFields())
        .containsExactly("body");
    assertThat(answer(organizations.register(FakeRequest.post("organizations", "{} {}"))).status()).isEqualTo(400);
  }

  @Test
  void unknownFieldsAreNamed() {
    Answer answer = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "\",\"pat\":\"x\",\"policy\":{\"schedule\":{\"hourz\":[1]}}}")));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorFields()).containsExactly("policy.schedule.hourz");
    assertThat(answer.json().path("errors").get(0).path("message").asText()).isEqualTo("is not a known field");
  }

  @Test
  void wrongTypesAreNamed() {
    Answer url = answer(organizations.register(FakeRequest.post("organizations", "{\"url\":42,\"pat\":\"x\"}")));
    assertThat(url.errorFields()).containsExactly("url");
    assertThat(url.json().path("errors").get(0).path("message").asText()).isEqualTo("must be a string");
    String id = register();
    Answer hours = answer(organizations.replacePolicy(
        FakeRequest.put("organizations/" + id + "/policy", "{\"schedule\":{\"hours\":[\"1\"]}}"), id));
    assertThat(hours.status()).isEqualTo(400);
    assertThat(hours.errorFields()).containsExactly("schedule.hours[0]");
    Answer wikis = answer(organizations.replacePolicy(
        FakeRequest.put("organizations/" + id + "/policy", "{\"includeWikis\":\"yes\"}"), id));
    assertThat(wikis.errorFields()).containsExactly("includeWikis");
    Answer metadata = answer(organizations.replacePolicy(
        FakeRequest.put("organizations/" + id + "/policy", "{\"includeMetadata\":1}"), id));
    assertThat(metadata.errorFields()).containsExactly("includeMetadata");
    Answer concurrency = answer(organizations.replacePolicy(
        FakeRequest.put("organizations/" + id + "/policy", "{\"concurrency\":2.5}"), id));
    assertThat(concurrency.errorFields()).containsExactly("concurrency");
    Answer kind = answer(restores.request(FakeRequest.post("organizations/" + id + "/restores",
        "{\"repositoryId\":\"r\",\"snapshotId\":\"s\",\"target\":\"Team/api\"}"), id));
    assertThat(kind.errorFields()).containsExactly("target");
  }

  @Test
  void aCredentialCannotPointAtBunkersOwnSecrets() {
    String stored = answer(credentials.create(FakeRequest.post("credentials",
        "{\"name\":\"build\",\"token\":\"" + World.TOKEN + "\"}"))).json().path("id").asText();
    List<String> own = List.of(SecretWiring.DEFAULT_OAUTH_CLIENT_SECRET_NAME,
        SecretWiring.DEFAULT_STATE_SIGNING_SECRET_NAME.toUpperCase(Locale.ROOT), "bunker-credential-" + stored);
    for (String name : own) {
      world.secrets.put(name, "bunker's own");
      Answer refused = answer(credentials.create(FakeRequest.post("credentials",
          "{\"name\":\"stolen\",\"keyVaultSecretName\":\"" + name + "\"}")));
      assertThat(refused.status()).as(name).isEqualTo(400);
      assertThat(refused.errorFields()).as(name).containsExactly("keyVaultSecretName");
    }
    assertThat(world.catalog.credentials().list()).extracting(credential -> credential.id()).containsExactly(stored);
  }

  @Test
  void anOversizedBodyIsRefusedBeforeReadingIt() {
    String huge = "{\"name\":\"" + "x".repeat(Http.MAX_BODY_CHARS) + "\"}";
    Answer answer = answer(credentials.create(FakeRequest.post("credentials", huge)));
    assertThat(answer.status()).isEqualTo(413);
    assertThat(world.catalog.credentials().list()).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonIsRefused() {
    Answer answer = answer(credentials.create(FakeRequest.post("credentials", "name=x")
        .header("Content-Type", "application/x-www-form-urlencoded")));
    assertThat(answer.status()).isEqualTo(415);
  }

  @Test
  void aBodyIsTakenOnlyAsApplicationJson() {
    String body = "{\"name\":\"build\",\"token\":\"" + World.TOKEN + "\"}";
    for (String lookalike : List.of("text/plain; x=json", "text/plain", "application/jsonp", "application/x-json",
        "application/json; charset=iso-8859-1", "application/json; x=1", "application/json, text/plain")) {
      Answer refused =
          answer(credentials.create(FakeRequest.post("credentials", body).header("Content-Type", lookalike)));
      assertThat(refused.status()).as(lookalike).isEqualTo(415);
      assertThat(refused.json().path("detail").asText()).contains("application/json");
    }
    Answer untyped = answer(credentials.create(FakeRequest.post("credentials", body).withoutHeader("Content-Type")));
    assertThat(untyped.status()).isEqualTo(415);
    assertThat(untyped.json().path("detail").asText()).contains("no Content-Type");
    Answer bodilessForm = answer(backups.start(FakeRequest.post("organizations/nope/backups", null)
        .header("Content-Type", "application/x-www-form-urlencoded"), "nope"));
    assertThat(bodilessForm.status()).isEqualTo(415);
    assertThat(world.catalog.credentials().list()).isEmpty();

    List<String> json =
        List.of("application/json", "Application/JSON; charset=UTF-8", "application/json;charset=\"utf-8\"");
    for (int i = 0; i < json.size(); i++) {
      Answer created = answer(credentials.create(FakeRequest.post("credentials",
          "{\"name\":\"build " + i + "\",\"token\":\"" + World.TOKEN + "\"}").header("Content-Type", json.get(i))));
      assertThat(created.status()).as(json.get(i)).isEqualTo(201);
    }
  }

  @Test
  void aCrossSiteOriginChangesNothing() {
    String id = register();
    Answer credential = answer(credentials.create(FakeRequest.post("credentials",
        "{\"name\":\"build\",\"token\":\"" + World.TOKEN + "\"}")));
    String credentialId = credential.json().path("id").asText();
    String policy =
        answer(organizations.policy(FakeRequest.get("organizations/" + id + "/policy"), id)).json().toString();
    List<WorkItem> queued = List.copyOf(world.queue.all());
    var credentialsBefore = world.catalog.credentials().list();
    List<HttpResponseMessage> responses = List.of(
        credentials.create(crossSite(FakeRequest.post("credentials", "{\"name\":\"evil\",\"token\":\"t\"}"))),
        credentials.delete(crossSite(FakeRequest.delete("credentials/" + credentialId)), credentialId),
        organizations.delete(crossSite(FakeRequest.delete("organizations/" + id)), id),
        organizations.replacePolicy(crossSite(FakeRequest.put("organizations/" + id + "/policy",
            "{\"retention\":{\"keepLast\":1}}")), id),
        backups.start(crossSite(FakeRequest.post("organizations/" + id + "/backups", null)), id));
    for (HttpResponseMessage response : responses) {
      Answer answer = answer(response);
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.json().path("type").asText()).isEqualTo("urn:bunker:problem:cross-site-request");
      assertThat(answer.json().path("detail").asText()).contains("Origin https://evil.example is not this app's own");
    }
    assertThat(world.catalog.credentials().list()).isEqualTo(credentialsBefore);
    assertThat(world.catalog.organizations().list()).hasSize(1);
    assertThat(answer(organizations.policy(FakeRequest.get("organizations/" + id + "/policy"), id)).json().toString())
        .isEqualTo(policy);
    assertThat(world.catalog.runs().newest(id, 10)).isEmpty();
    assertThat(world.queue.all()).isEqualTo(queued);
  }

  @Test
  void aRequestTheBrowserMarksAsFromAnotherSiteIsRefused() {
    for (String site : List.of("cross-site", "same-site")) {
      Answer answer = answer(credentials.create(FakeRequest.post("credentials", "{\"name\":\"x\",\"token\":\"t\"}")
          .header("Host", "bunker.example").header("Sec-Fetch-Site", site)));
      assertThat(answer.status()).as(site).isEqualTo(403);
      assertThat(answer.json().path("detail").asText()).contains("Sec-Fetch-Site: " + site);
    }
    assertThat(world.catalog.credentials().list()).isEmpty();
  }

  @Test
  void theConsolesOwnRequestsScriptsAndReadsFromAnywhereStillWork() {
    String body = "{\"name\":\"build\",\"token\":\"" + World.TOKEN + "\"}";
    List<FakeRequest> accepted = List.of(
        FakeRequest.post("credentials", body).header("Host", "localhost:7071")
            .header("Origin", "http://localhost:7071").header("Sec-Fetch-Site", "same-origin"),
        FakeRequest.post("credentials", body).header("Host", "bunker.azurewebsites.net")
            .header("Origin", "https://bunker.azurewebsites.net"),
        FakeRequest.post("credentials", body).header("Host", "bunker.azurewebsites.net")
            .header("X-Forwarded-Host", "backup.contoso.com").header("Origin", "https://backup.contoso.com"),
        FakeRequest.post("credentials", body).header("Sec-Fetch-Site", "none"),
        FakeRequest.post("credentials", body));
    for (FakeRequest request : accepted) {
      assertThat(answer(credentials.create(request)).status()).as(request.getHeaders().toString()).isEqualTo(201);
    }
    assertThat(answer(credentials.list(crossSite(FakeRequest.get("credentials")))).json()).hasSize(accepted.size());
  }

  /** What a page on another site makes the admin's browser send. */
  private static FakeRequest crossSite(FakeRequest request) {
    return request.header("Host", "localhost:7071").header("Origin", "https://evil.example");
  }

  @Test
  void aMissingBodyIsABadRequest() {
    Answer answer = answer(credentials.create(FakeRequest.post("credentials", null)));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorFields()).containsExactly("body");
  }

  @Test
  void unknownIdsAreNotFound() {
    String id = register();
    List<HttpResponseMessage> responses = List.of(
        organizations.get(FakeRequest.get("organizations/nope"), "nope"),
        organizations.delete(FakeRequest.delete("organizations/nope"), "nope"),
        organizations.policy(FakeRequest.get("organizations/nope/policy"), "nope"),
        organizations.replacePolicy(FakeRequest.put("organizations/nope/policy", "{}"), "nope"),
        backups.start(FakeRequest.post("organizations/nope/backups", null), "nope"),
        backups.list(FakeRequest.get("organizations/nope/backups"), "nope"),
        backups.get(FakeRequest.get("organizations/" + id + "/backups/x"), id, "x"),
        repositories.list(FakeRequest.get("organizations/nope/repositories"), "nope"),
        repositories.snapshots(FakeRequest.get("organizations/" + id + "/repositories/r/snapshots"), id, "r"),
        repositories.snapshot(FakeRequest.get("organizations/" + id + "/repositories/r/snapshots/s"), id, "r", "s"),
        restores.get(FakeRequest.get("organizations/" + id + "/restores/x"), id, "x"),
        credentials.delete(FakeRequest.delete("credentials/nope"), "nope"));
    for (HttpResponseMessage response : responses) {
      Answer answer = answer(response);
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.json().path("type").asText()).isEqualTo("urn:bunker:problem:not-found");
    }
  }

  @Test
  void credentialsAreListedWithoutSecretsAndProtectedWhileUsed() {
    Answer created = answer(credentials.create(FakeRequest.post("credentials",
        "{\"name\":\"build\",\"token\":\"" + World.TOKEN + "\"}")));
    assertThat(created.status()).isEqualTo(201);
    String credentialId = created.json().path("id").asText();
    assertThat(created.json().path("kind").asText()).isEqualTo("pat");
    assertThat(answer(credentials.list(FakeRequest.get("credentials"))).json()).hasSize(1);
    Answer organization = answer(organizations.register(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "\",\"credentialId\":\"" + credentialId + "\"}")));
    assertThat(organization.status()).isEqualTo(201);
    assertThat(answer(credentials.delete(FakeRequest.delete("credentials/" + credentialId), credentialId)).status())
        .isEqualTo(409);
    String id = organization.json().path("id").asText();
    assertThat(answer(organizations.delete(FakeRequest.delete("organizations/" + id), id)).status()).isEqualTo(204);
    assertThat(answer(credentials.delete(FakeRequest.delete("credentials/" + credentialId), credentialId)).status())
        .isEqualTo(204);
  }

  @Test
  void thePolicyIsReadAndReplacedAndABadOneChangesNothing() {
    String id = register();
    Answer replaced = answer(organizations.replacePolicy(FakeRequest.put("organizations/" + id + "/policy",
        "{\"schedule\":{\"everyHours\":6,\"timeZone\":\"Europe/Warsaw\"},\"retention\":{\"keepLast\":3}}"), id));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().path("schedule").path("everyHours").asInt()).isEqualTo(6);
    assertThat(replaced.json().path("retention").path("keepDaily").asInt()).isEqualTo(30);
    Answer bad = answer(organizations.replacePolicy(FakeRequest.put("organizations/" + id + "/policy",
        "{\"schedule\":{\"hours\":[25],\"timeZone\":\"Mars/Base\"},\"retention\":{\"keepLast\":-1}}"), id));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorFields())
        .containsExactlyInAnyOrder("schedule.timeZone", "schedule.hours[0]", "retention.keepLast");
    assertThat(answer(organizations.policy(FakeRequest.get("organizations/" + id + "/policy"), id)).json())
        .isEqualTo(replaced.json());
  }

  @Test
  void aBackupRunStartedNowIsFollowedToItsSnapshots() {
    String id = register();
    Answer started = answer(backups.start(FakeRequest.post("organizations/" + id + "/backups", null), id));
    assertThat(started.status()).isEqualTo(202);
    String runId = started.json().path("id").asText();
    assertThat(started.header("Location")).isEqualTo("/api/organizations/" + id + "/backups/" + runId);
    assertThat(started.json().path("status").asText()).isEqualTo("queued");

    runWorkers();

    Answer run = answer(backups.get(FakeRequest.get("organizations/" + id + "/backups/" + runId), id, runId));
    assertThat(run.json().path("status").asText()).isEqualTo("succeeded");
    assertThat(run.json().path("results")).hasSize(1);
    String snapshotId = run.json().path("results").get(0).path("snapshotId").asText();
    Answer list = answer(backups.list(FakeRequest.get("organizations/" + id + "/backups").query("top", "5"), id));
    assertThat(list.json()).hasSize(1);
    assertThat(list.json().get(0).has("results")).isFalse();
    Answer repos = answer(repositories.list(FakeRequest.get("organizations/" + id + "/repositories"), id));
    assertThat(repos.json().get(0).path("state").asText()).isEqualTo("protected");
    Answer snapshots = answer(repositories.snapshots(
        FakeRequest.get("organizations/" + id + "/repositories/" + api.id() + "/snapshots"), id, api.id()));
    assertThat(snapshots.json().get(0).path("id").asText()).isEqualTo(snapshotId);
    Answer snapshot = answer(repositories.snapshot(FakeRequest.get("organizations/" + id + "/repositories/"
        + api.id() + "/snapshots/" + snapshotId), id, api.id(), snapshotId));
    assertThat(snapshot.json().path("refs").get(0).path("name").asText()).isEqualTo("refs/heads/main");
  }

  @Test
  void snapshotsAndRepositoriesShowWhatTheLatestVerificationFound() {
    String id = register();
    answer(backups.start(FakeRequest.post("organizations/" + id + "/backups", "{}"), id));
    runWorkers();
    JsonNode verified = answer(repositories.snapshots(FakeRequest.get("snapshots"), id, api.id())).json().get(0);
    assertThat(verified.path("verifiedAt").asText()).isEqualTo("2026-05-01T10:00:00Z");
    assertThat(verified.has("verifyError")).isFalse();
    JsonNode repository = answer(repositories.list(FakeRequest.get("repositories"), id)).json().get(0);
    assertThat(repository.path("state").asText()).isEqualTo("protected");
    assertThat(repository.has("damage")).isFalse();

    String pack = "orgs/" + id + "/repos/" + api.id() + "/packs/pack-20260501T100000-00000000000000ff.pack";
    world.vault.damage(new RepositoryKey(id, api.id()), pack);
    world.clock.set(Instant.parse("2026-05-03T04:30:00Z"));
    timers.verification("{}", new TestContext());
    runWorkers();

    String snapshotId = verified.path("id").asText();
    JsonNode damaged = answer(repositories.snapshot(FakeRequest.get("snapshot"), id, api.id(), snapshotId)).json();
    assertThat(damaged.path("snapshot").path("verifiedAt").asText()).isEqualTo("2026-05-03T04:30:00Z");
    assertThat(damaged.path("snapshot").path("verifyError").asText()).contains(pack);
    repository = answer(repositories.list(FakeRequest.get("repositories"), id)).json().get(0);
    assertThat(repository.path("state").asText()).as("protected means restorable").isEqualTo("damaged");
    assertThat(repository.path("damage").asText()).contains(snapshotId, pack);
    assertThat(repository.path("verifiedAt").asText()).isEqualTo("2026-05-03T04:30:00Z");
  }

  @Test
  void aFailureMentioningTheTokenIsRecordedMasked() {
    String id = register();
    world.vault.failBackupsOf(api.remoteUrl(),
        new IllegalStateException("git fetch https://x:" + World.TOKEN + "@dev.azure.com failed"));
    Answer started = answer(backups.start(FakeRequest.post("organizations/" + id + "/backups", "{}"), id));
    String runId = started.json().path("id").asText();
    for (int attempt = 1; attempt <= World.MAX_ATTEMPTS; attempt++) {
      for (WorkItem item : new ArrayList<>(world.queue.all())) {
        world.queue.take(item.getClass());
        if (item instanceof WorkItem.Discover) {
          workers.discover(Json.write(item), 1);
        } else {
          try {
            workers.backupRepository(Json.write(item), attempt);
          } catch (RuntimeException retried) {
            assertThat(retried).hasMessageNotContaining(World.TOKEN);
            world.queue.enqueue(item);
          }
        }
      }
    }
    Answer run = answer(backups.get(FakeRequest.get("organizations/" + id + "/backups/" + runId), id, runId));
    assertThat(run.json().path("status").asText()).isEqualTo("failed");
    assertThat(run.json().path("results").get(0).path("error").asText()).contains("https://x:***@dev.azure.com");
  }

  /** Backs up the organization once; answers the api repository's snapshot. */
  private String backUpApi(String id) {
    backups.start(FakeRequest.post("organizations/" + id + "/backups", null), id);
    runWorkers();
    return world.bunker.inventory().snapshots(id, api.id()).get(0).id();
  }

  private String bundlePath(String id, String snapshotId) {
    return "organizations/" + id + "/repositories/" + api.id() + "/snapshots/" + snapshotId + "/bundle";
  }

  private Answer askForBundle(String id, String snapshotId) {
    return answer(repositories.bundle(FakeRequest.get(bundlePath(id, snapshotId)), id, api.id(), snapshotId));
  }

  @Test
  void aSmallBundleIsWrittenByTheRequestThatAsksAndHandedOutAsAUrlAtOnce() {
    String id = register();
    String snapshotId = backUpApi(id);
    world.exports.storeBundlesOf(Bundles.WRITTEN_WHEN_ASKED);

    Answer ready = askForBundle(id, snapshotId);
    assertThat(ready.status()).isEqualTo(303);
    assertThat(ready.header("Location")).startsWith("https://backups.example/exports/").contains(snapshotId);
    assertThat(world.queue.all()).as("nothing for a worker to do").isEmpty();
    assertThat(askForBundle(id, snapshotId).status()).isEqualTo(303);
    assertThat(world.exports.writes()).isEqualTo(1);
  }

  @Test
  void aSmallBundleThatCannotBeWrittenWhileAskedIsLeftToTheWorker() {
    String id = register();
    String snapshotId = backUpApi(id);
    world.exports.breakWrites("storage is busy");

    assertThat(askForBundle(id, snapshotId).status()).isEqualTo(202);
    assertThat(world.queue.all()).hasSize(1);
    world.exports.breakWrites(null);
    runWorkers();
    assertThat(askForBundle(id, snapshotId).status()).isEqualTo(303);
    assertThat(world.exports.writes()).isEqualTo(1);
  }

  @Test
  void aSnapshotTheStoreNoLongerHoldsIsNotFoundRatherThanAwaitedForEver() {
    String id = register();
    String snapshotId = backUpApi(id);
    world.exports.storeNoSnapshot(); // retention forgets it in the store before the catalog

    Answer gone = askForBundle(id, snapshotId);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().path("detail").asText()).contains(snapshotId);
    assertThat(world.queue.all()).as("nothing queued to wait for").isEmpty();
  }

  @Test
  void aLargeBundleIsWrittenOnceByTheWorkerAndThenHandedOutAsAUrl() {
    String id = register();
    String snapshotId = backUpApi(id);
    String path = bundlePath(id, snapshotId);
    world.exports.storeBundlesOf(Bundles.WRITTEN_WHEN_ASKED + 1);

    Answer writing = askForBundle(id, snapshotId);
    assertThat(writing.status()).isEqualTo(202);
    assertThat(writing.header("Location")).isEqualTo("/api/" + path);
    assertThat(writing.header("Retry-After")).isEqualTo("10");
    runWorkers();
    Answer ready = askForBundle(id, snapshotId);
    assertThat(ready.status()).isEqualTo(303);
    assertThat(ready.header("Location")).startsWith("https://backups.example/exports/").contains(snapshotId);
    assertThat(world.exports.writes()).isEqualTo(1);
    assertThat(askForBundle(id, "20200101T000000Z-00000000").status()).isEqualTo(404);
  }

  @Test
  void aBundleThatCannotBeWrittenAnswersWhyInsteadOfWaitingForever() {
    String id = register();
    String snapshotId = backUpApi(id);
    String path = bundlePath(id, snapshotId);
    world.exports.storeBundlesOf(Bundles.WRITTEN_WHEN_ASKED + 1);
    assertThat(askForBundle(id, snapshotId).status()).isEqualTo(202);
    world.exports.breakWrites("pack pack-7.pack of repository api is truncated");
    String message = Json.write(world.queue.take(WorkItem.ExportBundle.class).get(0));

    assertThatThrownBy(() -> workers.exportBundle(message, World.MAX_ATTEMPTS - 1))
        .as("an attempt before the last one lets the queue retry").isInstanceOf(IllegalStateException.class);
    assertThat(askForBundle(id, snapshotId).status()).isEqualTo(202);
    world.queue.take(WorkItem.ExportBundle.class);
    workers.exportBundle(message, World.MAX_ATTEMPTS);

    Answer failed = askForBundle(id, snapshotId);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(failed.header("Retry-After")).isEqualTo("900");
    assertThat(failed.json().path("type").asText()).isEqualTo("urn:bunker:problem:export-failed");
    assertThat(failed.json().path("detail").asText()).isEqualTo(
        "pack pack-7.pack of repository api is truncated. Asking again in 15 minutes tries again.");
    assertThat(world.queue.all()).as("a failed export is not queued again while it is reported").isEmpty();
  }

  @Test
  void aBadTopIsNamed() {
    String id = register();
    for (String top : List.of("abc", "0", "1000")) {
      Answer answer = answer(backups.list(FakeRequest.get("organizations/" + id + "/backups").query("top", top), id));
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.errorFields()).containsExactly("top");
    }
  }

  @Test
  void aRestoreIsRequestedAndFollowed() {
    String id = register();
    backups.start(FakeRequest.post("organizations/" + id + "/backups", "{\"repositories\":[\"api\"]}"), id);
    runWorkers();
    String snapshotId = world.bunker.inventory().snapshots(id, api.id()).get(0).id();
    Answer requested = answer(restores.request(FakeRequest.post("organizations/" + id + "/restores",
        "{\"repositoryId\":\"" + api.id() + "\",\"snapshotId\":\"" + snapshotId
            + "\",\"target\":{\"project\":\"Team\",\"repository\":\"api-copy\",\"create\":true}}"),
        id));
    assertThat(requested.status()).isEqualTo(202);
    String restoreId = requested.json().path("id").asText();
    assertThat(requested.header("Location")).endsWith("/restores/" + restoreId);
    runWorkers();
    Answer done =
        answer(restores.get(FakeRequest.get("organizations/" + id + "/restores/" + restoreId), id, restoreId));
    assertThat(done.json().path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void theSchedulerTimerStartsDueRuns() {
    register();
    world.clock.set(Instant.parse("2026-05-02T01:00:00Z"));
    timers.scheduler("{}", new TestContext());
    assertThat(world.queue.all(WorkItem.Discover.class)).hasSize(1);
    timers.retention("{}", new TestContext());
  }
}
