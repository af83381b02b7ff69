package dev.bunker.ado.export;

import static dev.bunker.ado.client.AdoJson.document;
import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import dev.bunker.ado.client.Api;
import dev.bunker.ado.client.Calls;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Pages;
import dev.bunker.ado.client.Service;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSink;
import dev.bunker.metadata.ProjectRef;
import dev.bunker.metadata.SnapshotReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;

/**
 * Permissions, for the organization-scope snapshot: every security namespace with all its access
 * control lists (one document per namespace), Graph service principals, and each feed's
 * permissions and retention policy (kinds of their own next to the feed's). Azure DevOps promises
 * no order for ACLs or their entries, so both are sorted: an unchanged ACL set stores nothing new.
 * A namespace whose ACLs the account may not read is listed as not backed up, with why.
 */
public final class SecurityExport {

  /** Graph service principals are {@code -preview.1} (graph/7.1/graph.json Service Principals_List). */
  private static final UnaryOperator<String> PREVIEW = version -> version + "-preview.1";
  /** What a restore does not make: permissions are kept for reading, not restored. */
  private static final List<MetadataKind> PERMISSION_KINDS = List.of(MetadataKind.SECURITY_NAMESPACE,
      MetadataKind.ACCESS_CONTROL_LISTS, MetadataKind.SERVICE_PRINCIPAL, MetadataKind.FEED_PERMISSIONS,
      MetadataKind.FEED_RETENTION_POLICY);

  private final Calls calls;

  SecurityExport(Calls calls) {
    this.calls = calls;
  }

  /** The parts of an organization-scope backup this adds, by name. */
  Map<String, Consumer<MetadataSink>> parts() {
    Map<String, Consumer<MetadataSink>> parts = new LinkedHashMap<>();
    parts.put("securityNamespaces", this::securityNamespaces);
    parts.put("servicePrincipals", this::servicePrincipals);
    return parts;
  }

  /** Each namespace once (by id), then its ACLs, all tokens below the root ({@code recurse}). */
  private void securityNamespaces(MetadataSink sink) {
    Map<String, JsonNode> namespaces = new TreeMap<>();
    calls.get("_apis/securitynamespaces").path("value")
        .forEach(namespace -> namespaces.putIfAbsent(namespace.path("namespaceId").asText(), namespace));
    calls.forEach(new ArrayList<>(namespaces.values()), namespace -> {
      String id = namespace.path("namespaceId").asText();
      sink.put(MetadataKind.SECURITY_NAMESPACE, id, document(namespace));
      OrganizationExport.alone(sink, MetadataKind.ACCESS_CONTROL_LISTS, id, () -> {
        JsonNode acls = calls.get("_apis/accesscontrollists/" + encode(id) + "?includeExtendedInfo=true&recurse=true");
        ObjectNode lists = AdoJson.JSON.createObjectNode();
        lists.put("namespaceId", id);
        lists.put("namespaceName", namespace.path("name").asText());
        ArrayNode sorted = lists.putArray("acls");
        StreamSupport.stream(acls.path("value").spliterator(), false)
            .sorted(Comparator.comparing(acl -> acl.path("token").asText()))
            .forEach(acl -> sorted.add(byDescriptor((ObjectNode) acl.deepCopy())));
        sink.put(MetadataKind.ACCESS_CONTROL_LISTS, id, document(lists));
      });
    });
  }

  /** The ACL with its {@code acesDictionary} keys (identity descriptors) in order. */
  private static ObjectNode byDescriptor(ObjectNode acl) {
    TreeMap<String, JsonNode> aces = new TreeMap<>();
    acl.path("acesDictionary").fields().forEachRemaining(e -> aces.put(e.getKey(), e.getValue()));
    ObjectNode ordered = AdoJson.JSON.createObjectNode();
    aces.forEach(ordered::set);
    acl.set("acesDictionary", ordered);
    return acl;
  }

  private void servicePrincipals(MetadataSink sink) {
    if (AzureDevOpsMetadata.lacks(calls, Api.SERVICE_PRINCIPALS, sink,
        MetadataKind.SERVICE_PRINCIPAL, ProjectRef.ORGANIZATION.id())) {
      return;
    }
    Pages.byHeaderToken(calls, calls.organization().at(Service.IDENTITY), "_apis/graph/servicePrincipals", PREVIEW,
        page -> page.path("value").forEach(principal -> sink.put(MetadataKind.SERVICE_PRINCIPAL,
            principal.path("descriptor").asText(), document(principal))));
  }

  /**
   * The feed's permissions (sorted by identity, then role) and its retention policy, each read on
   * its own: a feed the account may read but not administer still has its other documents.
   *
   * @param feedPath the feed's path on the feeds host, {@code [project/]_apis/packaging/Feeds/{id}}
   */
  void feed(OrganizationUrl feeds, String feedPath, String feedId, MetadataSink sink) {
    OrganizationExport.alone(sink, MetadataKind.FEED_PERMISSIONS, feedId, () -> {
      JsonNode permissions = calls.exchange().get(feeds, calls.credential(), feedPath + "/permissions",
          OrganizationExport.FEEDS_VERSION).body();
      ObjectNode doc = AdoJson.JSON.createObjectNode();
      doc.put("feedId", feedId);
      ArrayNode sorted = doc.putArray("permissions");
      StreamSupport.stream(permissions.path("value").spliterator(), false)
          .sorted(Comparator.comparing((JsonNode p) -> p.path("identityDescriptor").asText())
              .thenComparing(p -> p.path("role").asText()))
          .forEach(sorted::add);
      sink.put(MetadataKind.FEED_PERMISSIONS, feedId, document(doc));
    });
    OrganizationExport.alone(sink, MetadataKind.FEED_RETENTION_POLICY, feedId, () -> sink.put(
        MetadataKind.FEED_RETENTION_POLICY, feedId, document(calls.exchange().get(feeds, calls.credential(),
            feedPath + "/retentionpolicies", OrganizationExport.FEEDS_VERSION).body())));
  }

  /** Says, when a restore meets permission kinds, that it does not restore them. */
  public static void notRestored(SnapshotReader snapshot, Set<String> notes) {
    List<String> kept = PERMISSION_KINDS.stream().filter(k -> !snapshot.entries(k).isEmpty())
        .map(MetadataKind::key).toList();
    if (!kept.isEmpty()) {
      notes.add("permissions are kept in the backup but not restored (restoring permissions is out of scope; "
          + "set them again from the snapshot's zip): " + String.join(", ", kept));
    }
  }
}
