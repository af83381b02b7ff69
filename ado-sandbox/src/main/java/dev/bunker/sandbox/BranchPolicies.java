package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A project's branch policy configurations: the ones tests add and the ones {@code POST} creates. */
final class BranchPolicies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Project project;
  private final AtomicInteger lastPolicyId = new AtomicInteger();
  private final List<ObjectNode> policies = new CopyOnWriteArrayList<>();

  BranchPolicies(Project project) {
    this.project = project;
  }

  /** A "minimum number of reviewers" policy on {@code branch} of {@code repository}. */
  void reviewers(HostedRepository repository, String branch, int minimumApprovers) {
    ObjectNode settings = JSON.createObjectNode();
    settings.put("minimumApproverCount", minimumApprovers);
    settings.put("creatorVoteCounts", false);
    settings.put("allowDownvotes", false);
    settings.put("resetOnSourcePush", true);
    settings.putArray("scope").addObject().put("refName", branch).put("matchKind", "exact")
        .put("repositoryId", repository.id().toString());
    policy("fa4e907d-c16b-4a4c-9dfa-4906e5d171dd", "Minimum number of reviewers", true, true, settings);
  }

  /** A build validation policy: {@code definition} must succeed for pull requests into {@code branch}. */
  void build(HostedRepository repository, String branch, BuildDefinition definition) {
    ObjectNode settings = JSON.createObjectNode();
    settings.put("buildDefinitionId", definition.id());
    settings.put("queueOnSourceUpdateOnly", true);
    settings.put("manualQueueOnly", false);
    settings.put("displayName", definition.name());
    settings.put("validDuration", 720.0);
    settings.putArray("scope").addObject().put("refName", branch).put("matchKind", "exact")
        .put("repositoryId", repository.id().toString());
    policy("0609b952-1397-4640-95ec-e00a01b2c241", "Build", true, true, settings);
  }

  /** A required reviewers policy: the organization's users {@code reviewers} (display names) must approve. */
  void requiredReviewers(HostedRepository repository, String branch, String... reviewers) {
    ObjectNode settings = JSON.createObjectNode();
    var ids = settings.putArray("requiredReviewerIds");
    for (String reviewer : reviewers) {
      ids.add(Identities.ref(project.organization(), reviewer).path("id").asText());
    }
    settings.put("minimumApproverCount", reviewers.length);
    settings.put("creatorVoteCounts", false);
    settings.putArray("scope").addObject().put("refName", branch).put("matchKind", "exact")
        .put("repositoryId", repository.id().toString());
    policy("fd2167ab-b0be-447a-8ec8-39368250530e", "Required reviewers", true, true, settings);
  }

  /**
   * Creates a policy configuration as {@code POST _apis/policy/configurations} does: it needs a type
   * and settings; every repository its scope names must be one of the project's, the build
   * definition it names one of the project's and the reviewers it names users of the organization.
   */
  void create(JsonNode body, HttpServletResponse response, String version) throws IOException {
    if (body.path("type").path("id").asText("").isEmpty() || !body.path("settings").isObject()) {
      RestApi.error(response, 400, "A policy configuration needs a type id and settings.",
          "InvalidArgumentValueException");
      return;
    }
    for (JsonNode scope : body.path("settings").path("scope")) {
      String repositoryId = scope.path("repositoryId").asText("");
      if (!repositoryId.isEmpty() && project.repositories().stream()
          .noneMatch(r -> r.id().toString().equalsIgnoreCase(repositoryId))) {
        RestApi.error(response, 400, "TF401019: The Git repository with name or identifier " + repositoryId
            + " does not exist or you do not have permissions for the operation you are attempting.",
            "GitRepositoryNotFoundException");
        return;
      }
    }
    JsonNode definition = body.path("settings").path("buildDefinitionId");
    if (!definition.isMissingNode()
        && project.buildDefinitions().stream().noneMatch(d -> d.id() == definition.asInt())) {
      RestApi.error(response, 400, "The build definition " + definition.asText() + " does not exist in project "
          + project.name() + ".", "DefinitionNotFoundException");
      return;
    }
    for (JsonNode reviewer : body.path("settings").path("requiredReviewerIds")) {
      if (!Identities.isMember(project.organization(), reviewer.asText())) {
        RestApi.error(response, 400, "VS402371: There is no identity " + reviewer.asText() + ".",
            "IdentityNotFoundException");
        return;
      }
    }
    RestApi.write(response, 200, policy(body.path("type").path("id").asText(),
        body.path("type").path("displayName").asText(null), body.path("isEnabled").asBoolean(true),
        body.path("isBlocking").asBoolean(true), (ObjectNode) body.path("settings").deepCopy()), version);
  }

  private ObjectNode policy(String typeId, String typeName, boolean enabled, boolean blocking, ObjectNode settings) {
    int id = lastPolicyId.incrementAndGet();
    Organization organization = project.organization();
    ObjectNode policy = JSON.createObjectNode();
    policy.set("createdBy", Identities.ref(organization, "Kim Lead"));
    policy.put("createdDate", Boards.CREATED.toString());
    policy.put("isEnabled", enabled);
    policy.put("isBlocking", blocking);
    policy.put("isDeleted", false);
    policy.set("settings", settings);
    policy.put("isEnterpriseManaged", false);
    policy.put("revision", 1);
    policy.put("id", id);
    policy.put("url", organization.url() + "/" + project.id() + "/_apis/policy/configurations/" + id);
    policy.putObject("type").put("id", typeId)
        .put("url", organization.url() + "/" + project.id() + "/_apis/policy/types/" + typeId)
        .put("displayName", typeName);
    policies.add(policy);
    return policy;
  }

  List<ObjectNode> all() {
    return List.copyOf(policies);
  }
}
