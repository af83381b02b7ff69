package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.AdminAccess;
import dev.bunker.app.App;
import dev.bunker.core.World;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.json.Json;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit trail through the function classes: one entry per state-changing call, refused ones too. */
class AuditApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANA = "ana@contoso.com";
  private static final String ANA_ID = "8f0c3a52-6b1e-4d2a-9c57-2f1e0b7d4a11";
  private final World world = new World("2026-05-01T10:00:00Z");
  private final CredentialsFunction credentials = new CredentialsFunction();
  private final OrganizationsFunction organizations = new OrganizationsFunction();
  private final BackupsFunction backups = new BackupsFunction();
  private final RestoresFunction restores = new RestoresFunction();
  private final MetadataFunction metadata = new MetadataFunction();
  private final AuditFunction audit = new AuditFunction();

  @BeforeEach
  void wire() {
    App.use(world.bunker);
    App.use(AdminAccess.open());
  }

  @AfterEach
  void unwire() {
    App.reset();
  }

  /**
   * As App Service sends a signed-in caller's request: its principal, and the client address it saw
   * appended. A second later than the call before, so that the trail's order is the calls' order.
   */
  private FakeRequest asAna(FakeRequest request) {
    return later(request).header(AdminAccess.PRINCIPAL_NAME_HEADER, ANA).header(AdminAccess.PRINCIPAL_ID_HEADER, ANA_ID)
        .header("X-Forwarded-For", "198.51.100.1, 203.0.113.7:52113");
  }

  private FakeRequest later(FakeRequest request) {
    world.clock.advance(Duration.ofSeconds(1));
    return request;
  }

  private static JsonNode json(HttpResponseMessage response) throws Exception {
    return JSON.readTree((String) response.getBody());
  }

  @Test
  void everyStateChangingCallLeavesExactlyOneEntryNamingTheCallerAndNoSecret() throws Exception {
    JsonNode credential = json(credentials.create(asAna(FakeRequest.post("credentials",
        "{\"name\":\"spare\",\"token\":\"" + World.TOKEN + "\"}"))));
    String org = json(organizations.register(asAna(FakeRequest.post("organizations",
        "{\"url\":\"" + World.CONTOSO + "\",\"pat\":\"" + World.TOKEN + "\"}")))).path("id").asText();
    organizations.replacePolicy(asAna(FakeRequest.put("organizations/" + org + "/policy", "{\"concurrency\":2}")), org);
    String run = json(backups.start(asAna(FakeRequest.post("organizations/" + org + "/backups", null)), org))
        .path("id").asText();
    restores.request(asAna(FakeRequest.post("organizations/" + org + "/restores",
        "{\"repositoryId\":\"r1\",\"snapshotId\":\"s1\",\"target\":{\"project\":\"Team\",\"repository\":\"x\"}}")),
        org);
    metadata.restore(asAna(FakeRequest.post("organizations/" + org + "/metadata-restores",
        "{\"projectId\":\"p1\",\"snapshotId\":\"s1\",\"target\":{\"project\":\"Team\"},\"dryRun\":true}")), org);
    credentials.delete(asAna(FakeRequest.delete("credentials/" + credential.path("id").asText())),
        credential.path("id").asText());
    organizations.delete(asAna(FakeRequest.delete("organizations/" + org)), org);

    List<AuditEntry> entries = world.audit.appended();
    assertThat(entries).extracting(AuditEntry::action).containsExactly(AuditAction.CREATE_CREDENTIAL,
        AuditAction.REGISTER_ORGANIZATION, AuditAction.REPLACE_POLICY, AuditAction.START_BACKUP,
        AuditAction.REQUEST_RESTORE, AuditAction.REQUEST_METADATA_RESTORE, AuditAction.DELETE_CREDENTIAL,
        AuditAction.DELETE_ORGANIZATION);
    assertThat(entries).allSatisfy(entry -> {
      assertThat(entry.actor()).isEqualTo(new AuditEntry.Actor(ANA, ANA_ID));
      assertThat(entry.clientIp()).isEqualTo("203.0.113.7");
    });
    assertThat(entries).extracting(AuditEntry::status).containsExactly(201, 201, 200, 202, 400, 400, 204, 204);
    assertThat(entries.get(4).outcome()).isEqualTo(AuditEntry.Outcome.REFUSED);
    assertThat(entries.get(4).problem()).isEqualTo("invalid-request");
    assertThat(entries.get(0).targets()).containsEntry("credentialId", credential.path("id").asText());
    assertThat(entries.get(1).targets()).containsEntry("organizationId", org)
        .containsEntry("organizationUrl", World.CONTOSO);
    assertThat(entries.get(3).targets()).containsEntry("organizationId", org).containsEntry("runId", run);
    assertThat(entries.get(4).targets()).containsEntry("repositoryId", "r1").containsEntry("snapshotId", "s1");
    assertThat(entries.get(5).targets()).containsEntry("dryRun", "true");
    assertThat(entries).extracting(Json::write).noneMatch(entry -> entry.contains(World.TOKEN));
  }

  @Test
  void aCallRefusedBeforeItsHandlerIsRecordedToo() {
    organizations.register(
        asAna(FakeRequest.post("organizations", "{\"url\":\"" + World.CONTOSO + "\",\"pat\":\"" + World.TOKEN + "\"}"))
            .header("Origin", "https://evil.example"));
    organizations.register(asAna(FakeRequest.post("organizations", "not json")).header("Content-Type", "text/plain"));
    App.use(AdminAccess.enforced(true, AdminAccess.DEFAULT_ROLE, Set.of()));
    organizations.delete(later(FakeRequest.delete("organizations/o1")), "o1");

    List<AuditEntry> entries = world.audit.appended();
    assertThat(entries).extracting(AuditEntry::status).containsExactly(403, 415, 401);
    assertThat(entries).extracting(AuditEntry::problem)
        .containsExactly("cross-site-request", "unsupported-media-type", "unauthenticated");
    assertThat(entries.get(2).actor()).isEqualTo(AuditEntry.Actor.ANONYMOUS);
    assertThat(entries.get(2).targets()).containsEntry("organizationId", "o1");
    assertThat(world.catalog.organizations().list()).isEmpty();
  }

  @Test
  void locallyACallerWithoutAPrincipalIsLocalAndHeadersAreIgnoredWithoutAppServiceAuthentication() {
    organizations.delete(later(FakeRequest.delete("organizations/o1")), "o1");
    App.use(AdminAccess.enforced(false, AdminAccess.DEFAULT_ROLE, Set.of()));
    organizations.delete(asAna(FakeRequest.delete("organizations/o1")), "o1");

    assertThat(world.audit.appended()).extracting(AuditEntry::actor)
        .containsExactly(AuditEntry.Actor.LOCAL, AuditEntry.Actor.ANONYMOUS);
  }

  @Test
  void theTrailIsReadNewestFirstInPagesAndBadParametersAreNamed() throws Exception {
    for (int i = 0; i < 3; i++) {
      organizations.delete(later(FakeRequest.delete("organizations/o" + i)), "o" + i);
    }

    JsonNode first = json(audit.list(FakeRequest.get("audit").query("top", "2")));
    assertThat(first.path("entries")).extracting(entry -> entry.path("targets").path("organizationId").asText())
        .containsExactly("o2", "o1");
    assertThat(first.path("entries").get(0).path("action").asText()).isEqualTo("deleteOrganization");
    JsonNode second = json(audit.list(FakeRequest.get("audit").query("top", "2")
        .query("continuation", first.path("continuation").asText())));
    assertThat(second.path("entries")).extracting(entry -> entry.path("organizationId").asText()).containsExactly("o0");
    assertThat(second.has("continuation")).isFalse();
    assertThat(json(audit.list(FakeRequest.get("audit").query("organizationId", "o1"))).path("entries")).hasSize(1);

    HttpResponseMessage bad = audit.list(FakeRequest.get("audit").query("since", "soon").query("top", "x"));
    assertThat(bad.getStatusCode()).isEqualTo(400);
    assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(json(bad).path("errors")).extracting(error -> error.path("field").asText())
        .containsExactly("since", "top");
    assertThat(world.audit.all()).hasSize(3);
  }

  /** Keeps functions added later honest: each one a state-changing method reaches leaves one entry. */
  @Test
  void everyStateChangingFunctionIsAudited() throws Exception {
    List<String> audited = new ArrayList<>();
    for (Method method : AdminAccessApiTest.httpFunctions()) {
      HttpTrigger trigger = AdminAccessApiTest.trigger(method);
      for (HttpMethod verb : trigger.methods()) {
        if (verb == HttpMethod.GET || verb == HttpMethod.HEAD || verb == HttpMethod.OPTIONS) {
          continue;
        }
        Object[] arguments = new Object[method.getParameterCount()];
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < parameters.length; i++) {
          arguments[i] = HttpRequestMessage.class.isAssignableFrom(parameters[i].getType())
              ? later(FakeRequest.of(verb, trigger.route().replaceAll("[{}*]", ""), "{}")) : "x";
        }
        int before = world.audit.all().size();
        method.invoke(method.getDeclaringClass().getDeclaredConstructor().newInstance(), arguments);
        assertThat(world.audit.all()).as(verb + " " + trigger.route()).hasSize(before + 1);
        audited.add(method.getAnnotation(FunctionName.class).value());
      }
    }
    assertThat(audited).containsExactlyInAnyOrder("createCredential", "deleteCredential", "registerOrganization",
        "deleteOrganization", "replacePolicy", "startBackup", "requestRestore", "requestMetadataRestore",
        "putNotifications", "testNotifications");
  }
}
