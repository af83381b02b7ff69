package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.ApiVersions;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.Service;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * How a project's boards are organised: its area and iteration trees, the work item types it
 * uses, its process (inherited or not) with each type's states, fields, rules and form layout, its
 * queries, and its branch policies. Each is small and read whole every run; a document that did
 * not change costs nothing to store again.
 */
public final class BoardsExport {

  /** Levels of a classification tree read per call; deeper subtrees take one more call each. */
  public static final int NODE_DEPTH = 10;
  /** The most levels the queries API returns at once. */
  static final int QUERY_DEPTH = 2;
  static final String OTHERS_PERSONAL_QUERIES = "personal queries (\"My Queries\") of other people: Azure DevOps "
      + "shows them only to their owners, so no account can read them for a backup; shared queries are backed up";

  /** The processes API was a preview API before Azure DevOps Server 2022 (7.0). */
  static String processesVersion(String apiVersion) {
    return apiVersion.equals("5.0") || apiVersion.equals("6.0") ? apiVersion + "-preview.2" : apiVersion;
  }

  private final Calls calls;
  private final int pageSize;

  BoardsExport(Calls calls, int pageSize) {
    this.calls = calls;
    this.pageSize = pageSize;
  }

  /** The {@code areas} and {@code iterations} trees, one document each. */
  void classificationNodes(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/wit/classificationnodes";
    for (JsonNode root : calls.get(base + "?$depth=" + NODE_DEPTH).path("value")) {
      String group = "area".equalsIgnoreCase(root.path("structureType").asText()) ? "Areas" : "Iterations";
      ObjectNode tree = root.deepCopy();
      complete(calls::get, base + "/" + group, List.of(), tree);
      sink.put(MetadataKind.CLASSIFICATION_NODES, group.toLowerCase(Locale.ROOT), document(tree));
    }
  }

  /**
   * Reads, with {@code get}, the subtrees of {@code node} (at {@code path} below {@code base})
   * deeper than one call returns.
   */
  public static void complete(Function<String, JsonNode> get, String base, List<String> path, ObjectNode node) {
    if (node.path("hasChildren").asBoolean(false) && !node.has("children")) {
      node.set("children", get.apply(base + nodePath(path) + "?$depth=" + NODE_DEPTH).path("children"));
    }
    for (JsonNode child : node.path("children")) {
      List<String> childPath = new ArrayList<>(path);
      childPath.add(child.path("name").asText());
      complete(get, base, childPath, (ObjectNode) child);
    }
  }

  public static String nodePath(List<String> names) {
    return names.stream().map(n -> "/" + encode(n)).collect(Collectors.joining());
  }

  /** Each work item type the project uses, with its states (read separately where the list lacks them). */
  void workItemTypes(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/wit/workitemtypes";
    List<JsonNode> types = new ArrayList<>();
    calls.get(base).path("value").forEach(types::add);
    calls.forEach(types, type -> {
      ObjectNode doc = type.deepCopy();
      if (!doc.has("states")) {
        // Work Item Type States_List was a preview before 7.0 (wit/5.0, wit/6.0: -preview.1).
        doc.set("states", calls.get(base + "/" + encode(type.path("name").asText()) + "/states",
            ApiVersions.previewBefore7(1)).path("value"));
      }
      sink.put(MetadataKind.WORK_ITEM_TYPE, type.path("referenceName").asText(type.path("name").asText()),
          document(doc));
    });
  }

  /**
   * The project's process and each of its work item types with states, form layout, fields and
   * rules. The process is found in the organization's list, which names the projects using each.
   */
  void process(ProjectRef project, MetadataSink sink) {
    JsonNode process = null;
    UnaryOperator<String> version = BoardsExport::processesVersion;
    for (JsonNode candidate : calls.get("_apis/work/processes?$expand=projects", version).path("value")) {
      for (JsonNode user : candidate.path("projects")) {
        if (user.path("id").asText().equalsIgnoreCase(project.id())) {
          process = candidate;
        }
      }
    }
    if (process == null) {
      sink.omit(MetadataKind.PROCESS.key(), project.id(), "Azure DevOps did not list the project under any process");
      return;
    }
    String id = process.path("typeId").asText();
    String base = "_apis/work/processes/" + encode(id);
    ObjectNode doc = process.deepCopy();
    // Which other projects use the process is no part of this project's settings (and changes with them).
    doc.remove("projects");
    doc.set("behaviors", calls.get(base + "/behaviors?$expand=fields", version).path("value"));
    List<JsonNode> types = new ArrayList<>();
    calls.get(base + "/workitemtypes?$expand=states,layout", version).path("value").forEach(types::add);
    calls.forEach(types, type -> {
      String referenceName = type.path("referenceName").asText();
      String typeBase = base + "/workItemTypes/" + encode(referenceName);
      ObjectNode typeDoc = type.deepCopy();
      typeDoc.set("fields", calls.get(typeBase + "/fields", version).path("value"));
      typeDoc.set("rules", calls.get(typeBase + "/rules", version).path("value"));
      sink.put(MetadataKind.PROCESS_WORK_ITEM_TYPE, id + "/" + referenceName, document(typeDoc));
    });
    sink.put(MetadataKind.PROCESS, id, document(doc));
  }

  /**
   * Every query and folder the backup account can see, one document each: the shared ones and its
   * own. Folders deeper than one call returns are read by id. Others' personal queries are listed
   * as not backed up.
   */
  void queries(ProjectRef project, MetadataSink sink) {
    String base = encode(project.id()) + "/_apis/wit/queries";
    for (JsonNode root : calls.get(base + "?$depth=" + QUERY_DEPTH + "&$expand=all").path("value")) {
      query(base, root, sink);
    }
    sink.omit(MetadataKind.QUERY.key(), "My Queries of other people", OTHERS_PERSONAL_QUERIES);
  }

  private void query(String base, JsonNode item, MetadataSink sink) {
    JsonNode children = item.get("children");
    if (item.path("isFolder").asBoolean(false) && item.path("hasChildren").asBoolean(false) && children == null) {
      children = calls.get(base + "/" + encode(item.path("id").asText()) + "?$depth=" + QUERY_DEPTH + "&$expand=all")
          .path("children");
    }
    ObjectNode doc = item.deepCopy();
    doc.remove("children");
    // Running a query changes these: no reason to store the query again.
    doc.remove(Arrays.asList("lastExecutedBy", "lastExecutedDate"));
    sink.put(MetadataKind.QUERY, item.path("id").asText(), document(doc));
    if (children != null) {
      for (JsonNode child : children) {
        query(base, child, sink);
      }
    }
  }

  /**
   * Every policy configuration of the project (branch policies of each repository), paged. A
   * required reviewers policy names its reviewers by identity ids, which only this organization
   * knows: the document gets {@code requiredReviewers}, their identity references (one identities
   * call per page), so a restore into another organization can find the same people.
   */
  void policies(ProjectRef project, MetadataSink sink) {
    policyPages(calls, encode(project.id()) + "/_apis/policy/configurations", "?$top=" + pageSize, page -> {
      Map<String, JsonNode> reviewers = reviewers(page);
      page.forEach(configuration -> {
        JsonNode ids = configuration.path("settings").path("requiredReviewerIds");
        if (!ids.isEmpty() && configuration instanceof ObjectNode policy) {
          ArrayNode references = policy.putArray("requiredReviewers");
          ids.forEach(id -> Optional.ofNullable(reviewers.get(id.asText().toLowerCase(Locale.ROOT)))
              .ifPresent(references::add));
        }
        sink.put(MetadataKind.POLICY_CONFIGURATION, configuration.path("id").asText(), document(configuration));
      });
    });
  }

  /**
   * Each page of policy configurations at {@code path}: paged by {@code $top} ({@code query}) and
   * continuation token from 6.0; policy/5.0 Configurations List takes neither and answers all.
   */
  public static void policyPages(Calls calls, String path, String query, Consumer<JsonNode> eachPage) {
    if (calls.apiVersion().equals("5.0")) {
      eachPage.accept(calls.get(path).path("value"));
    } else {
      calls.pages(path + query, eachPage);
    }
  }

  /** The identity references of the required reviewers {@code policies} name, by lower-case id. */
  private Map<String, JsonNode> reviewers(JsonNode policies) {
    Set<String> ids = new TreeSet<>();
    policies.forEach(p -> p.path("settings").path("requiredReviewerIds")
        .forEach(id -> ids.add(id.asText().toLowerCase(Locale.ROOT))));
    Map<String, JsonNode> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    JsonNode identities = calls.exchange().get(calls.organization().at(Service.IDENTITY), calls.credential(),
        "_apis/identities?identityIds=" + encode(String.join(",", ids)) + "&queryMembership=None").body();
    for (JsonNode identity : identities.path("value")) {
      if (identity.isObject()) {
        ObjectNode reference = AdoJson.JSON.createObjectNode();
        reference.put("id", identity.path("id").asText());
        reference.put("displayName", identity.path("providerDisplayName").asText());
        reference.put("uniqueName", identity.path("properties").path("Account").path("$value").asText());
        reference.put("descriptor", identity.path("descriptor").asText());
        found.put(identity.path("id").asText().toLowerCase(Locale.ROOT), reference);
      }
    }
    return found;
  }
}
