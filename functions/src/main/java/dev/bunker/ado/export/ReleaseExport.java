package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Service;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Classic release definitions, read from the organization's Release Management host
 * ({@code vsrm.dev.azure.com}; the collection itself on a Server). Each definition is read whole
 * (lists leave out environments and tasks) and each of its revisions once: a saved revision never
 * changes, so one the previous snapshot holds is kept without reading it. The list of revisions
 * (who changed it, when, with which comment) is read again only when there is a new revision. Secret variable values
 * come back null; which secrets exist is listed as not backed up.
 */
final class ReleaseExport {

  static final String SECRET_KIND = "releaseDefinitionSecret";
  private static final UnaryOperator<String> REVISIONS_VERSION = ApiVersions.previewBefore7(1);

  private final Calls calls;
  private final int pageSize;

  ReleaseExport(Calls calls, int pageSize) {
    this.calls = new Calls(calls.exchange(),
        calls.organization().at(Service.RELEASES), calls.credential(), calls.pool());
    this.pageSize = pageSize;
  }

  void export(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/release/definitions";
    List<String> ids = new ArrayList<>();
    calls.pages(base + "?$top=" + pageSize, UnaryOperator.identity(),
        page -> page.forEach(d -> ids.add(d.path("id").asText())));
    calls.forEach(ids, id -> definition(base, id, sink));
  }

  private void definition(String base, String id, MetadataSink sink) {
    JsonNode definition = calls.get(base + "/" + id);
    int current = definition.path("revision").asInt(1);
    // A definition whose current revision was backed up before has no new history either.
    if (!(sink.keep(MetadataKind.RELEASE_DEFINITION_REVISION, id + "/" + current)
        && sink.keep(MetadataKind.RELEASE_DEFINITION_HISTORY, id))) {
      JsonNode history = calls.exchange().get(calls.organization(), calls.credential(),
          base + "/" + id + "/revisions", REVISIONS_VERSION).body();
      ObjectNode revisions = AdoJson.JSON.createObjectNode();
      revisions.put("definitionId", definition.path("id").asInt());
      revisions.set("revisions", history.path("value"));
      sink.put(MetadataKind.RELEASE_DEFINITION_HISTORY, id, document(revisions));
    }
    for (int revision = 1; revision <= current; revision++) {
      if (!sink.keep(MetadataKind.RELEASE_DEFINITION_REVISION, id + "/" + revision)) {
        revision(base, id, revision, sink);
      }
    }
    sink.put(MetadataKind.RELEASE_DEFINITION, id, document(withoutSecretValues(definition)));
    PipelineExport.secrets(definition, SECRET_KIND, id, sink);
    for (JsonNode environment : definition.path("environments")) {
      PipelineExport.secrets(environment, SECRET_KIND, id + "/" + environment.path("name").asText(), sink);
    }
  }

  private void revision(String base, String id, int revision, MetadataSink sink) {
    byte[] bytes = calls.exchange().getRaw(calls.organization(), calls.credential(),
        base + "/" + id + "/revisions/" + revision,
        REVISIONS_VERSION).bytes();
    try {
      JsonNode content = AdoJson.JSON.readTree(bytes);
      sink.put(MetadataKind.RELEASE_DEFINITION_REVISION, id + "/" + revision, document(withoutSecretValues(content)));
    } catch (IOException e) {
      sink.omit(MetadataKind.RELEASE_DEFINITION_REVISION.key(), id + "/" + revision,
          "Azure DevOps answered this revision with something that is not JSON");
    }
  }

  /**
   * Azure DevOps answers secret values as null; this makes sure a stored document never holds one,
   * whatever a server answers.
   */
  static JsonNode withoutSecretValues(JsonNode node) {
    List<JsonNode> pending = new ArrayList<>(List.of(node));
    while (!pending.isEmpty()) {
      JsonNode next = pending.remove(pending.size() - 1);
      if (next instanceof ObjectNode object && object.path("isSecret").asBoolean(false) && object.has("value")) {
        object.putNull("value");
      }
      next.forEach(pending::add);
    }
    return node;
  }
}
