package dev.bunker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The source side: repositories of a sandbox organization and their refs. */
final class Sources {
  private Sources() {}

  /** Every repository of every project, wikis included. */
  static List<HostedRepository> repositories(Organization organization) {
    return organization.projects().stream().flatMap(project -> project.repositories().stream()).toList();
  }

  /** The repository's refs as hex ids, by name. */
  static Map<String, String> refs(HostedRepository repository) {
    Map<String, String> refs = new TreeMap<>();
    repository.refs().forEach((name, id) -> refs.put(name, id.name()));
    return refs;
  }

  /** The result of {@code repository} in a run report. */
  static JsonNode resultOf(JsonNode run, HostedRepository repository) {
    for (JsonNode result : run.get("results")) {
      if (result.get("repositoryId").asText().equalsIgnoreCase(repository.id().toString())) {
        return result;
      }
    }
    throw new AssertionError("run " + run.get("id") + " has no result for " + repository + ": " + run);
  }
}
