package dev.bunker.e2e;

import static dev.bunker.e2e.Api.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.Organization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail and the protection report through devhost: each admin action leaves one entry
 * naming the principal App Service sent, and no secret; the report says what the backups did.
 */
@ExtendWith(Stack.Extension.class)
class AuditIT {
  private static final String OBJECT_ID = "8f0c3a52-6b1e-4d2a-9c57-2f1e0b7d4a11";

  /** The headers App Service adds for a signed-in caller: its principal, and the client address appended. */
  private static Map<String, String> signedIn(String name) {
    return Map.of("X-MS-CLIENT-PRINCIPAL-NAME", name, "X-MS-CLIENT-PRINCIPAL-ID", OBJECT_ID,
        "X-Forwarded-For", "198.51.100.1, 203.0.113.7:52113");
  }

  private static Api.Response send(Stack stack, String method, String path, Object body, String actor) {
    String text = body == null ? null : body instanceof String string ? string : write(body);
    return stack.api.send(method, path, text, text == null ? null : "application/json", signedIn(actor));
  }

  private static String write(Object body) {
    try {
      return Api.JSON.writeValueAsString(body);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every entry of the trail, page by page of {@code top}, newest first. */
  private static List<JsonNode> trail(Stack stack, String query, int top) {
    List<JsonNode> entries = new ArrayList<>();
    String continuation = null;
    do {
      JsonNode page = expect(200, stack.api.get("/api/audit?top=" + top + query
          + (continuation == null ? "" : "&continuation=" + continuation)));
      page.get("entries").forEach(entries::add);
      continuation = page.has("continuation") ? page.get("continuation").asText() : null;
    } while (continuation != null);
    return entries;
  }

  @Test
  void everyAdminActionLeavesOneEntryNamingItsCallerAndNoSecret(Stack stack) {
    String actor = "ana-" + UUID.randomUUID() + "@contoso.com";
    Instant started = Instant.now().minusSeconds(1);
    Organization source = stack.sandbox.organization("audit");
    source.project("Web").repository("site").withCommits(2);

    String organizationId = expect(201, send(stack, "POST", "/api/organizations",
        Map.of("url", source.url().toString(), "pat", stack.newPat()), actor)).get("id").asText();
    expect(200,
        send(stack, "PUT", "/api/organizations/" + organizationId + "/policy", Map.of("concurrency", 2), actor));
    String runId = expect(202, send(stack, "POST", "/api/organizations/" + organizationId + "/backups", null, actor))
        .get("id").asText();
    stack.api.awaitRun(organizationId, runId, Duration.ofSeconds(120));
    expect(400, send(stack, "POST", "/api/organizations/" + organizationId + "/restores",
        Map.of("repositoryId", "nope", "snapshotId", "nope", "target", Map.of("project", "Web", "repository", "x")),
        actor));
    expect(400, send(stack, "POST", "/api/organizations/" + organizationId + "/metadata-restores",
        Map.of("projectId", "nope", "snapshotId", "nope", "target", Map.of("project", "Web"), "dryRun", true), actor));
    String credentialId = expect(201, send(stack, "POST", "/api/credentials",
        Map.of("name", "spare " + actor, "token", stack.newPat()), actor)).get("id").asText();
    expect(204, send(stack, "DELETE", "/api/credentials/" + credentialId, null, actor));
    expect(204, send(stack, "DELETE", "/api/organizations/" + organizationId, null, actor));

    List<JsonNode> mine = trail(stack, "&since=" + started, 3).stream()
        .filter(entry -> entry.path("actor").path("name").asText().equals(actor)).toList();
    assertThat(mine).extracting(entry -> entry.get("action").asText()).containsExactly("deleteOrganization",
        "deleteCredential", "createCredential", "requestMetadataRestore", "requestRestore", "startBackup",
        "replacePolicy", "registerOrganization");
    assertThat(mine).extracting(entry -> entry.get("status").asInt()).containsExactly(204, 204, 201, 400, 400, 202,
        200, 201);
    assertThat(mine).allSatisfy(entry -> {
      assertThat(entry.path("actor").path("objectId").asText()).isEqualTo(OBJECT_ID);
      assertThat(entry.get("clientIp").asText()).isEqualTo("203.0.113.7");
    });
    assertThat(mine.get(5).path("targets").path("runId").asText()).isEqualTo(runId);
    assertThat(mine.get(4).get("outcome").asText()).isEqualTo("refused");
    assertThat(trail(stack, "&organizationId=" + organizationId, 2)).hasSize(6);

    // no secret in the trail as stored, nor as answered
    List<String> rows = new ArrayList<>();
    for (TableEntity row : stack.tables().getTableClient("audit").listEntities()) {
      rows.add(row.getProperties().toString());
    }
    for (String secret : stack.secrets()) {
      assertThat(rows).noneMatch(row -> row.contains(secret));
      assertThat(mine).noneMatch(entry -> entry.toString().contains(secret));
    }
    expect(400, stack.api.get("/api/audit?top=0&since=soon"));
    assertThat(stack.api.send("DELETE", "/api/audit", null, null).status()).isIn(404, 405);
  }

  @Test
  void theReportSaysWhichRepositoriesAreProtectedFailingOrAtRisk(Stack stack) {
    Organization source = stack.sandbox.organization("report");
    source.project("Web").repository("good").withCommits(3);
    source.project("Web").repository("broken").withCommits(1)
        .listedWithRemoteUrl("https://evil.example/report/Web/_git/broken");
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("includeMetadata", false);
    String organizationId = stack.api.registerWithPat(source.url().toString(), stack.newPat(), policy)
        .get("id").asText();
    JsonNode run = stack.api.backUpNow(organizationId);
    try {
      JsonNode report = expect(200, stack.api.get("/api/organizations/" + organizationId + "/report"));
      JsonNode organization = report.get("organizations").get(0);
      Map<String, JsonNode> byName = new LinkedHashMap<>();
      organization.get("repositories").forEach(repository -> byName.put(repository.get("name").asText(), repository));
      assertThat(byName.get("good").get("status").asText()).isEqualTo("protected");
      assertThat(byName.get("good").get("snapshotCount").asInt()).isEqualTo(1);
      assertThat(byName.get("good").get("packBytes").asLong()).isPositive();
      assertThat(byName.get("broken").get("status").asText()).isEqualTo("failing");
      assertThat(byName.get("broken").has("lastError")).isTrue();
      assertThat(organization.get("totals").get("protectedCount").asInt()).isEqualTo(1);
      assertThat(organization.get("totals").get("failing").asInt()).isEqualTo(1);
      assertThat(organization.get("history").get("runs")).extracting(point -> point.get("runId").asText())
          .contains(run.get("id").asText());
      assertThat(organization.get("history").get("failures").get(0).get("failures").asInt()).isEqualTo(1);

      // two days on, with no backup since: the daily slots were missed
      stack.setClock(Instant.now().plus(Duration.ofDays(2)));
      JsonNode later = expect(200, stack.api.get("/api/report")).get("organizations");
      JsonNode good = null;
      for (JsonNode each : later) {
        if (each.get("organizationId").asText().equals(organizationId)) {
          for (JsonNode repository : each.get("repositories")) {
            if (repository.get("name").asText().equals("good")) {
              good = repository;
            }
          }
        }
      }
      assertThat(good).isNotNull();
      assertThat(good.get("status").asText()).isEqualTo("atRisk");
    } finally {
      stack.setClock(null);
      expect(204, stack.api.delete("/api/organizations/" + organizationId));
    }
  }
}
