package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.AzureDevOpsClient;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.export.BoardsExport;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Restores branch policies into a project. A policy names its repositories by id only, so each
 * scope's repository is found by name (from the snapshot's repository documents) among the target's
 * repositories, which exist when the repositories were restored first. A build validation policy's
 * build definition is the one the pipelines restore made (or found by name) in the target; a
 * required reviewers policy's reviewers are the target organization's identities of the people
 * the backup names in {@code requiredReviewers} (see {@link BoardsExport#policies}). A policy that
 * already exists with the same type, scope, build definition and reviewers is left as it is; one
 * whose repository or build definition is not in the target, or none of whose reviewers the target
 * knows, is not restored and the notes say so; reviewers it does not know are unmapped identities.
 */
final class PolicyRestore {

  /** Settings that hold ids of other things than repositories, mapped to the target's. */
  private static final List<String> FOREIGN_IDS = List.of("buildDefinitionId", "requiredReviewerIds");

  private final AzureDevOpsClient client;
  private final OrganizationUrl organization;
  private final Credential credential;

  PolicyRestore(AzureDevOpsClient client, OrganizationUrl organization, Credential credential) {
    this.client = client;
    this.organization = organization;
    this.credential = credential;
  }

  /**
   * @param buildDefinitionIds source build definition id to the target's (see
   *     {@link PipelineRestore#buildDefinitionIds})
   */

  /** Whether a backed-up branch policy is restored: one deleted at the source is not. */
  static boolean isRestored(JsonNode policy) {
    return !policy.path("isDeleted").asBoolean(false);
  }

  void policies(SnapshotReader snapshot, ProjectRef target, Map<String, String> buildDefinitionIds,
      TargetIdentities people, RestoreRun run) {
    Set<String> notes = run.notes;
    Set<String> identities = run.identities;
    if (snapshot.entries(MetadataKind.POLICY_CONFIGURATION).isEmpty()) {
      return;
    }
    Map<String, String> sourceNames = new HashMap<>();
    for (String id : snapshot.entries(MetadataKind.REPOSITORY).keySet()) {
      sourceNames.put(id.toLowerCase(Locale.ROOT),
          AzureDevOpsRestore.read(snapshot, MetadataKind.REPOSITORY, id).path("name").asText());
    }
    Map<String, String> targetIds = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    client.repositories(organization, credential, target.id()).forEach(r -> targetIds.put(r.name(), r.id()));
    String path = encode(target.id()) + "/_apis/policy/configurations";
    List<JsonNode> existing = new ArrayList<>();
    BoardsExport.policyPages(Calls.sequential(client.exchange(), organization, credential), path,
        "", page -> page.forEach(existing::add));

    List<String> ids = snapshot.entries(MetadataKind.POLICY_CONFIGURATION).keySet().stream()
        .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
    for (String id : ids) {
      JsonNode policy = AzureDevOpsRestore.read(snapshot, MetadataKind.POLICY_CONFIGURATION, id);
      String what = "branch policy " + id + " (" + policy.path("type").path("displayName").asText("type "
          + policy.path("type").path("id").asText()) + ")";
      if (!isRestored(policy) || run.made(MetadataKind.POLICY_CONFIGURATION.key(), id).isPresent()) {
        continue;
      }
      ObjectNode settings = policy.path("settings").deepCopy();
      String missing = mapScope(settings.withArray("scope"), sourceNames, targetIds);
      if (missing != null) {
        notes.add(what + " was not restored: its repository " + missing
            + " is not in the target project (restore the repository first)");
        continue;
      }
      if (settings.has("buildDefinitionId")) {
        String definition = buildDefinitionIds.get(settings.path("buildDefinitionId").asText());
        if (definition == null) {
          notes.add(what + " was not restored: its build definition " + settings.path("displayName")
              .asText(settings.path("buildDefinitionId").asText()) + " is not in the target project (see why above)");
          continue;
        }
        settings.put("buildDefinitionId", Integer.parseInt(definition));
      }
      if (settings.has("requiredReviewerIds") && !mapReviewers(policy, settings, what, people, notes, identities)) {
        continue;
      }
      String type = policy.path("type").path("id").asText();
      if (existing.stream().anyMatch(e -> e.path("type").path("id").asText().equalsIgnoreCase(type)
          && e.path("settings").path("scope").equals(settings.path("scope"))
          && FOREIGN_IDS.stream().allMatch(k -> e.path("settings").path(k).equals(settings.path(k))))) {
        run.skipped.add(what + ": the target project holds the same policy; left as it is");
        continue;
      }
      ObjectNode body = AdoJson.JSON.createObjectNode();
      body.put("isEnabled", policy.path("isEnabled").asBoolean(true));
      body.put("isBlocking", policy.path("isBlocking").asBoolean(false));
      body.putObject("type").put("id", type);
      body.set("settings", settings);
      run.record(MetadataKind.POLICY_CONFIGURATION.key(), id,
          client.exchange().post(organization, credential, path, body).body().path("id").asText());
    }
  }

  /**
   * Points {@code requiredReviewerIds} at the target organization's identities of the same people;
   * those it does not know are left out, noted and listed as unmapped identities.
   *
   * @return whether any reviewer is left (else the policy is not restored)
   */
  private static boolean mapReviewers(JsonNode policy, ObjectNode settings, String what, TargetIdentities people,
      Set<String> notes, Set<String> identities) {
    Map<String, JsonNode> references = new HashMap<>();
    policy.path("requiredReviewers").forEach(r -> references.put(r.path("id").asText().toLowerCase(Locale.ROOT), r));
    ArrayNode mapped = AdoJson.JSON.createArrayNode();
    List<String> unmapped = new ArrayList<>();
    for (JsonNode id : settings.path("requiredReviewerIds")) {
      JsonNode reference = references.get(id.asText().toLowerCase(Locale.ROOT));
      Optional<String> targetId = reference == null || !TargetIdentities.isPerson(reference)
          ? Optional.empty() : people.id(reference);
      if (targetId.isPresent()) {
        mapped.add(targetId.get());
      } else {
        // a backup older than requiredReviewers names them by the source's id only
        unmapped.add(reference == null ? id.asText() : TargetIdentities.name(reference));
      }
    }
    identities.addAll(unmapped);
    if (mapped.isEmpty()) {
      notes.add(what + " was not restored: the target organization knows none of its required reviewers ("
          + String.join(", ", unmapped) + "; see the unmapped identities)");
      return false;
    }
    if (!unmapped.isEmpty()) {
      notes.add(what + " was restored without the required reviewers the target organization does not know ("
          + String.join(", ", unmapped) + "; see the unmapped identities): add them again");
    }
    settings.set("requiredReviewerIds", mapped);
    if (settings.path("minimumApproverCount").asInt(0) > mapped.size()) {
      settings.put("minimumApproverCount", mapped.size());
    }
    return true;
  }

  /**
   * Points each scope's repository at the target's of the same name; a scope without one (every
   * repository of the project) stays as it is.
   *
   * @return the name (or id, if the snapshot does not name it) of a repository the target lacks
   */
  private static String mapScope(ArrayNode scopes, Map<String, String> sourceNames, Map<String, String> targetIds) {
    for (JsonNode scope : scopes) {
      String sourceId = scope.path("repositoryId").asText("");
      if (sourceId.isEmpty()) {
        continue;
      }
      String name = sourceNames.get(sourceId.toLowerCase(Locale.ROOT));
      String targetId = name == null ? null : targetIds.get(name);
      if (targetId == null) {
        return name == null ? sourceId : name;
      }
      ((ObjectNode) scope).put("repositoryId", targetId);
    }
    return null;
  }
}
