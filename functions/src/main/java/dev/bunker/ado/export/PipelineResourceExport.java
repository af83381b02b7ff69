package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.Api;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What pipelines run with, besides their definitions: task groups, environments (with resources
 * and checks), service connections (metadata only), agent queues with their pools, and YAML
 * pipelines as the Pipelines API shows them. Service connection credentials are never stored,
 * not even the ones Azure DevOps answers with: they are listed as not backed up.
 */
final class PipelineResourceExport {

  static final String CONNECTION_AUTHORIZATION = "serviceConnectionAuthorization";
  private static final UnaryOperator<String> PREVIEW_1 = ApiVersions.previewBefore7(1);
  /** Checks have been a preview in every version ({@link Api#CHECKS}: from 6.1). */
  private static final UnaryOperator<String> CHECKS_VERSION = version -> version + "-preview.1";
  private static final UnaryOperator<String> ENDPOINTS_VERSION =
      version -> version.startsWith("7.") ? version : version.equals("6.0") ? "6.0-preview.4" : version + "-preview.2";

  private final Calls calls;
  private final int pageSize;

  PipelineResourceExport(Calls calls, int pageSize) {
    this.calls = calls;
    this.pageSize = pageSize;
  }

  /**
   * Every task group; a task group with several major versions is listed once per version, and
   * each version is kept ({@code <id>@<major>} for all but the newest, which is {@code <id>}). The
   * list pages by {@code $top} and a token in {@code x-ms-continuationtoken} (Taskgroups_List).
   */
  void taskGroups(ProjectRef project, MetadataSink sink) {
    List<JsonNode> groups = new ArrayList<>();
    calls.pages(encode(project.id()) + "/_apis/distributedtask/taskgroups?$top=" + pageSize, PREVIEW_1,
        page -> page.forEach(groups::add));
    Map<String, Integer> newest = new HashMap<>();
    groups.forEach(g -> newest.merge(g.path("id").asText(), g.path("version").path("major").asInt(), Math::max));
    for (JsonNode group : groups) {
      String id = group.path("id").asText();
      int major = group.path("version").path("major").asInt();
      sink.put(MetadataKind.TASK_GROUP, major == newest.get(id) ? id : id + "@" + major, document(group));
    }
  }

  /** Every environment with its resources and its checks (approvals, gates); checks that cannot be read are listed. */
  void environments(ProjectRef project, MetadataSink sink) {
    if (AzureDevOpsMetadata.lacks(calls, Api.ENVIRONMENTS, sink, MetadataKind.ENVIRONMENT, project.id())) {
      return;
    }
    String base = encode(project.id()) + "/_apis/distributedtask/environments";
    List<String> ids = new ArrayList<>();
    calls.pages(base + "?$top=" + pageSize, PREVIEW_1,
        page -> page.forEach(e -> ids.add(e.path("id").asText())));
    Optional<String> noChecks = Api.CHECKS.missing(calls.organization(), calls.apiVersion());
    calls.forEach(ids, id -> {
      ObjectNode environment = (ObjectNode) get(base + "/" + id + "?expands=resourceReferences", PREVIEW_1);
      String name = environment.path("name").asText();
      if (noChecks.isPresent()) {
        sink.omit(MetadataKind.ENVIRONMENT.key(), id + "/checks", "the checks of environment " + name + " were "
            + noChecks.get());
      } else {
        try {
          environment.set("checks", get(encode(project.id()) + "/_apis/pipelines/checks/configurations"
              + "?resourceType=environment&resourceId=" + id + "&$expand=settings", CHECKS_VERSION).path("value"));
        } catch (AzureDevOpsRequestException e) {
          sink.omit(MetadataKind.ENVIRONMENT.key(), id + "/checks", "the checks of environment " + name
              + " could not be read: " + e.getMessage());
        }
      }
      sink.put(MetadataKind.ENVIRONMENT, id, document(environment));
    });
  }

  /** Each service connection without its authorization parameters, which are listed as not backed up. */
  void serviceConnections(ProjectRef project, MetadataSink sink) {
    JsonNode endpoints = get(encode(project.id()) + "/_apis/serviceendpoint/endpoints?includeFailed=true",
        ENDPOINTS_VERSION).path("value");
    for (JsonNode endpoint : endpoints) {
      ObjectNode metadata = ((ObjectNode) endpoint).deepCopy();
      JsonNode authorization = metadata.path("authorization");
      if (authorization instanceof ObjectNode scheme) {
        TreeSet<String> names = new TreeSet<>();
        scheme.path("parameters").fieldNames().forEachRemaining(names::add);
        String parameters = String.join(", ", names);
        scheme.remove("parameters");
        sink.omit(CONNECTION_AUTHORIZATION, metadata.path("id").asText(), "the credentials of service connection "
            + metadata.path("name").asText() + " (" + scheme.path("scheme").asText("unknown scheme")
            + (parameters.isEmpty() ? "" : ": " + parameters)
            + ") are never backed up; enter them again after a restore");
      }
      sink.put(MetadataKind.SERVICE_CONNECTION, metadata.path("id").asText(), document(metadata));
    }
  }

  /** The project's agent queues, each with the full agent pool it references (one call for all pools). */
  void agentQueues(ProjectRef project, MetadataSink sink) {
    // Queues_Get Agent Queues is 6.0-preview.1; 5.0 has no file, and Microsoft's client generated for it
    // (azure-devops-node-api 7.0.0, TaskAgentApiBase.getAgentQueues) asks 5.0-preview.1.
    JsonNode queues = get(encode(project.id()) + "/_apis/distributedtask/queues", PREVIEW_1).path("value");
    String poolIds = stream(queues).map(q -> q.path("pool").path("id").asText()).filter(id -> !id.isEmpty())
        .distinct().collect(Collectors.joining(","));
    Map<String, JsonNode> pools = new HashMap<>();
    if (!poolIds.isEmpty()) {
      // Pools_Get Agent Pools By Ids is in distributedTask 6.0 and later; at 5.0 all pools are read.
      boolean byIds = !calls.apiVersion().equals("5.0");
      get("_apis/distributedtask/pools" + (byIds ? "?poolIds=" + poolIds : ""), OrganizationExport.POOLS_VERSION)
          .path("value").forEach(p -> pools.put(p.path("id").asText(), p));
    }
    for (JsonNode queue : queues) {
      ObjectNode document = ((ObjectNode) queue).deepCopy();
      JsonNode pool = pools.get(queue.path("pool").path("id").asText());
      if (pool != null) {
        document.set("pool", pool);
      }
      sink.put(MetadataKind.AGENT_QUEUE, queue.path("id").asText(), document(document));
    }
  }

  /** Every pipeline of the Pipelines API, each read whole (the list leaves out its configuration). */
  void pipelines(ProjectRef project, MetadataSink sink) {
    if (AzureDevOpsMetadata.lacks(calls, Api.PIPELINES, sink, MetadataKind.PIPELINE, project.id())) {
      return;
    }
    String base = encode(project.id()) + "/_apis/pipelines";
    List<String> ids = new ArrayList<>();
    calls.pages(base + "?$top=" + pageSize, PREVIEW_1,
        page -> page.forEach(p -> ids.add(p.path("id").asText())));
    calls.forEach(ids, id -> sink.put(MetadataKind.PIPELINE, id, document(get(base + "/" + id, PREVIEW_1))));
  }

  private JsonNode get(String path, UnaryOperator<String> version) {
    return calls.exchange().get(calls.organization(), calls.credential(), path, version).body();
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }
}
