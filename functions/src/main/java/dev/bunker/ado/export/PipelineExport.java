package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Build definitions (each read whole: lists hold only references) and variable groups. Secret
 * values come back null; which secrets exist is recorded so a restore can ask for them.
 */
public final class PipelineExport {

  static final String SECRET_REASON = "secret values cannot be read through the Azure DevOps API";

  private final Calls calls;
  private final int pageSize;

  PipelineExport(Calls calls, int pageSize) {
    this.calls = calls;
    this.pageSize = pageSize;
  }

  void buildDefinitions(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/build/definitions";
    List<Integer> ids = new ArrayList<>();
    calls.pages(base + "?$top=" + pageSize, UnaryOperator.identity(),
        page -> page.forEach(d -> ids.add(d.path("id").asInt())));
    calls.forEach(ids, id -> {
      JsonNode definition = calls.get(base + "/" + id);
      sink.put(MetadataKind.BUILD_DEFINITION, Integer.toString(id), document(definition));
      secrets(definition, "buildDefinitionSecret", Integer.toString(id), sink);
    });
  }

  void variableGroups(ProjectRef project, MetadataSink sink) {
    calls.pages(encode(project.id()) + "/_apis/distributedtask/variablegroups?$top=" + pageSize,
        v -> v.equals("6.0") ? "6.0-preview.2" : ApiVersions.previewBefore7(1).apply(v), page -> page.forEach(group -> {
          String id = group.path("id").asText();
          sink.put(MetadataKind.VARIABLE_GROUP, id, document(group));
          secrets(group, "variableGroupSecret", id, sink);
        }));
  }

  /** Lists each secret variable of {@code holder} (by {@code <id>/<name>}) as not backed up. */
  static void secrets(JsonNode holder, String kind, String id, MetadataSink sink) {
    for (Map.Entry<String, JsonNode> variable : holder.path("variables").properties()) {
      if (variable.getValue().path("isSecret").asBoolean(false)) {
        sink.omit(kind, id + "/" + variable.getKey(), SECRET_REASON);
      }
    }
  }
}
