package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Repository;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Pull requests of every repository of a project, in every status, and the repositories' names
 * (policies and other documents name a repository by id only). Lists cut descriptions to 400
 * characters and leave out linked work items, so each pull request is read whole, with its
 * threads (every comment, status and position) and iterations next to it.
 */
final class PullRequestExport {

  private final Calls calls;
  private final int pageSize;

  PullRequestExport(Calls calls, int pageSize) {
    this.calls = calls;
    this.pageSize = pageSize;
  }

  void export(ProjectRef project, List<Repository> repositories, MetadataSink sink) {
    for (Repository repository : repositories) {
      ObjectNode named = AdoJson.JSON.createObjectNode().put("id", repository.id())
          .put("name", repository.name()).put("defaultBranch", repository.defaultBranch());
      sink.put(MetadataKind.REPOSITORY, repository.id(), document(named));
      if (repository.disabled()) {
        sink.omit(MetadataKind.PULL_REQUEST.key(), repository.id(),
            "repository " + repository.name() + " is disabled: Azure DevOps does not answer for it");
        continue;
      }
      try {
        repository(project, repository, sink);
      } catch (AzureDevOpsRequestException e) {
        // One repository that cannot be read does not cost the others theirs.
        sink.omit(MetadataKind.PULL_REQUEST.key(), repository.id(),
            "pull requests of " + repository.name() + " could not be read: " + e.getMessage());
      }
    }
  }

  private void repository(ProjectRef project, Repository repository, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/git/repositories/" + encode(repository.id()) + "/pullrequests";
    int skip = 0;
    while (true) {
      // Stop on an empty page, not a short one: a server may cap $top below what was asked.
      JsonNode page = calls.get(base + "?searchCriteria.status=all&$top=" + pageSize + "&$skip=" + skip).path("value");
      if (page.isEmpty()) {
        return;
      }
      List<Integer> ids = new ArrayList<>();
      page.forEach(pr -> ids.add(pr.path("pullRequestId").asInt()));
      calls.forEach(ids, id -> pullRequest(base, repository, id, sink));
      skip += page.size();
    }
  }

  /**
   * Threads are read every time (closed pull requests still get comments); iterations only while
   * the pull request is open or changed: pushes to a closed one make no iteration.
   */
  private void pullRequest(String base, Repository repository, int id, MetadataSink sink) {
    String documentId = repository.id() + "/" + id;
    JsonNode full = calls.get(base + "/" + id + "?includeWorkItemRefs=true");
    byte[] pullRequest = document(full);
    boolean closed = !"active".equals(full.path("status").asText());
    if (!(closed && sink.unchanged(MetadataKind.PULL_REQUEST, documentId, pullRequest)
        && sink.keep(MetadataKind.PULL_REQUEST_ITERATIONS, documentId))) {
      sink.put(MetadataKind.PULL_REQUEST_ITERATIONS, documentId,
          document(part(repository, id, "iterations", calls.get(base + "/" + id + "/iterations").path("value"))));
    }
    sink.put(MetadataKind.PULL_REQUEST_THREADS, documentId,
        document(part(repository, id, "threads", calls.get(base + "/" + id + "/threads").path("value"))));
    sink.put(MetadataKind.PULL_REQUEST, documentId, pullRequest);
  }

  private static ObjectNode part(Repository repository, int id, String name, JsonNode values) {
    ObjectNode doc = AdoJson.JSON.createObjectNode();
    doc.put("repositoryId", repository.id());
    doc.put("pullRequestId", id);
    doc.set(name, values);
    return doc;
  }
}
