package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may do what in a sandbox organization: security namespaces with their access control lists
 * (token, then one entry per identity with allow and deny bits), Graph service principals, and
 * each feed's permissions and retention policy. Served by {@link SecurityApi}. Every other read of
 * a namespace serves its ACLs and their entries in reverse, as nothing in Azure DevOps promises their order.
 */
public final class OrganizationSecurity {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Organization organization;
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  private final Set<String> unreadable = new HashSet<>();
  private final List<ObjectNode> servicePrincipals = new CopyOnWriteArrayList<>();
  private final Map<UUID, Map<String, String>> feedRoles = new LinkedHashMap<>();
  private final Map<UUID, ObjectNode> retention = new LinkedHashMap<>();

  OrganizationSecurity(Organization organization) {
    this.organization = organization;
    namespace("Git Repositories", "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87", "/",
        "Administer", "GenericRead", "GenericContribute", "ForcePush", "CreateBranch");
    namespace("Project", "52d39943-cb85-4d7f-8fa8-c6baac873819", "$",
        "GENERIC_READ", "GENERIC_WRITE", "DELETE", "MANAGE_PROPERTIES");
    namespace("Build", "33344d9c-fc72-4d6f-aba5-fa317101a7e9", "/",
        "ViewBuilds", "EditBuildQuality", "RetainIndefinitely", "DeleteBuilds");
    namespace("Identity", "5a27515b-ccd7-42c9-84f1-54c998f03866", "\\", "Read", "Write", "Delete", "ManageMembership");
  }

  /** A namespace with its actions (bits 1, 2, 4…, in order); the defaults are Git Repositories, Project, Build, Identity. */
  public synchronized OrganizationSecurity namespace(String name, String id, String separator, String... actions) {
    namespaces.putIfAbsent(name, new Namespace(UUID.fromString(id), name, separator, List.of(actions),
        new LinkedHashMap<>(), new AtomicInteger()));
    return this;
  }

  /** Sets what {@code identity} (a user or group display name) is allowed and denied on {@code token}. */
  public synchronized OrganizationSecurity ace(String namespace, String token, String identity, int allow, int deny) {
    namespaceNamed(namespace).acls().computeIfAbsent(token, t -> new LinkedHashMap<>())
        .put(identityDescriptor(identity), new int[] {allow, deny});
    return this;
  }

  /** Makes the namespace's ACLs answer 403, as for an account without its read permission. */
  public synchronized OrganizationSecurity unreadable(String namespace) {
    unreadable.add(namespaceNamed(namespace).id().toString());
    return this;
  }

  /** A service principal (an Entra application added to the organization) as a Graph subject. */
  public synchronized OrganizationSecurity servicePrincipal(String displayName) {
    ObjectNode principal = JSON.createObjectNode();
    String descriptor = "aadsp." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString((organization.name() + "\\" + displayName).getBytes(StandardCharsets.UTF_8));
    principal.put("subjectKind", "servicePrincipal");
    principal.put("descriptor", descriptor);
    principal.put("displayName", displayName);
    principal.put("origin", "aad");
    principal.put("originId", UUID.nameUUIDFromBytes(descriptor.getBytes(StandardCharsets.UTF_8)).toString());
    principal.put("applicationId", UUID.nameUUIDFromBytes(("app:" + displayName).getBytes(StandardCharsets.UTF_8))
        .toString());
    principal.put("domain", "sandbox.example");
    principal.put("principalName", displayName);
    principal.put("url", organization.url() + "/_apis/Graph/ServicePrincipals/" + descriptor);
    servicePrincipals.add(principal);
    return this;
  }

  /** Gives {@code identity} a role on the feed: {@code reader}, {@code collaborator}, {@code contributor}, {@code administrator}. */
  public synchronized OrganizationSecurity feedRole(OrganizationSettings.Feed feed, String identity, String role) {
    feedRoles.computeIfAbsent(feed.id(), id -> new LinkedHashMap<>()).put(identity, role);
    return this;
  }

  /** Keeps at most {@code countLimit} versions of each package, and those downloaded in the last {@code days}. */
  public synchronized OrganizationSecurity retention(OrganizationSettings.Feed feed, int countLimit, int days) {
    retention.put(feed.id(), JSON.createObjectNode().put("countLimit", countLimit)
        .put("daysToKeepRecentlyDownloadedPackages", days).putNull("ageLimitInDays"));
    return this;
  }

  synchronized List<ObjectNode> namespaces() {
    return namespaces.values().stream().map(Namespace::json).toList();
  }

  /** Null when there is no such namespace. */
  synchronized Namespace namespaceWithId(String id) {
    return namespaces.values().stream().filter(n -> n.id().toString().equalsIgnoreCase(id)).findFirst().orElse(null);
  }

  synchronized boolean readable(Namespace namespace) {
    return !unreadable.contains(namespace.id().toString());
  }

  /** The namespace's ACLs, each entry with extended info; reversed on every other read. */
  synchronized List<ObjectNode> acls(Namespace namespace) {
    boolean reversed = namespace.reads().getAndIncrement() % 2 == 1;
    List<ObjectNode> acls = new ArrayList<>();
    namespace.acls().forEach((token, entries) -> {
      ObjectNode acl = JSON.createObjectNode();
      acl.put("inheritPermissions", true);
      acl.put("token", token);
      ObjectNode aces = acl.putObject("acesDictionary");
      List<Map.Entry<String, int[]>> ordered = new ArrayList<>(entries.entrySet());
      if (reversed) {
        Collections.reverse(ordered);
      }
      for (Map.Entry<String, int[]> entry : ordered) {
        int[] bits = entry.getValue();
        ObjectNode ace = aces.putObject(entry.getKey());
        ace.put("descriptor", entry.getKey());
        ace.put("allow", bits[0]);
        ace.put("deny", bits[1]);
        ace.putObject("extendedInfo").put("effectiveAllow", bits[0]).put("effectiveDeny", bits[1])
            .put("inheritedAllow", 0).put("inheritedDeny", 0);
      }
      acls.add(acl);
    });
    if (reversed) {
      Collections.reverse(acls);
    }
    return acls;
  }

  List<ObjectNode> servicePrincipals() {
    return List.copyOf(servicePrincipals);
  }

  /** The feed's roles: its creator administers it, the build service contributes, and what {@link #feedRole} set. */
  synchronized List<ObjectNode> feedPermissions(OrganizationSettings.Feed feed) {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("Project Collection Administrators", "administrator");
    roles.put("Project Collection Build Service (" + organization.name() + ")", "contributor");
    roles.putAll(feedRoles.getOrDefault(feed.id(), Map.of()));
    return roles.entrySet().stream().map(role -> JSON.createObjectNode().put("role", role.getValue())
        .put("identityDescriptor", identityDescriptor(role.getKey())).put("displayName", role.getKey())
        .put("isInheritedRole", false)).toList();
  }

  /** A feed without a policy keeps everything: every limit null. */
  synchronized ObjectNode retention(OrganizationSettings.Feed feed) {
    ObjectNode policy = retention.get(feed.id());
    return policy != null ? policy.deepCopy() : JSON.createObjectNode().putNull("countLimit")
        .putNull("daysToKeepRecentlyDownloadedPackages").putNull("ageLimitInDays");
  }

  /** Identity descriptors (not Graph ones) name who an ACE is for, as in Azure DevOps. */
  private String identityDescriptor(String identity) {
    return "Microsoft.TeamFoundation.Identity;S-1-9-1551374245-"
        + Integer.toUnsignedString((organization.name() + "\\" + identity).hashCode());
  }

  private Namespace namespaceNamed(String name) {
    Namespace namespace = namespaces.get(name);
    if (namespace == null) {
      throw new IllegalArgumentException("no security namespace named " + name);
    }
    return namespace;
  }

  record Namespace(UUID id, String name, String separator, List<String> actions,
      Map<String, Map<String, int[]>> acls, AtomicInteger reads) {

    ObjectNode json() {
      ObjectNode node = JSON.createObjectNode();
      node.put("namespaceId", id.toString());
      node.put("name", name);
      node.put("displayName", name);
      node.put("separatorValue", separator);
      node.put("elementLength", -1);
      node.put("writePermission", 2);
      node.put("readPermission", 1);
      node.put("isRemotable", true);
      node.put("useTokenTranslator", false);
      node.put("systemBitMask", 0);
      ArrayNode array = node.putArray("actions");
      for (int i = 0; i < actions.size(); i++) {
        array.addObject().put("bit", 1 << i).put("name", actions.get(i)).put("displayName", actions.get(i))
            .put("namespaceId", id.toString());
      }
      return node;
    }
  }
}
