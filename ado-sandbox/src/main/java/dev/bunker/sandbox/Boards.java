package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Boards and project settings of a sandbox project, as a new Azure DevOps project has them: area
 * and iteration trees (iterations {@code Sprint 1}–{@code Sprint 12}, the ones generated work items
 * use), the inherited process {@code Agile (sandbox)}, "Shared Queries" and "My Queries", the
 * default team {@code <project> Team}; plus what tests add: paths, shared queries in folders,
 * other people's personal queries (which the API never lists), teams, branch policies and test plans.
 */
public final class Boards {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Instant CREATED = Instant.parse("2024-05-01T08:00:00Z");

  private final Project project;
  private final AtomicInteger lastNodeId = new AtomicInteger();
  private final AtomicInteger lastPlanId = new AtomicInteger();
  final Node areas;
  final Node iterations;
  final Query sharedQueries;
  final Query myQueries;
  private final List<Query> othersPersonal = new CopyOnWriteArrayList<>();
  private final List<Team> teams = new CopyOnWriteArrayList<>();
  private final BranchPolicies policies;
  private final List<TestPlan> plans = new CopyOnWriteArrayList<>();

  Boards(Project project) {
    this.project = project;
    this.policies = new BranchPolicies(project);
    this.areas = new Node(this, null, project.name(), "area");
    this.iterations = new Node(this, null, project.name(), "iteration");
    LocalDate start = LocalDate.of(2024, 1, 1);
    for (int sprint = 1; sprint <= 12; sprint++) {
      LocalDate from = start.plusWeeks(2L * (sprint - 1));
      iterations.child("Sprint " + sprint).dates(from, from.plusDays(11));
    }
    this.sharedQueries = new Query(this, null, "Shared Queries", null, true);
    this.myQueries = new Query(this, null, "My Queries", null, false);
    teams.add(new Team(this, project.name() + " Team"));
  }

  Project project() {
    return project;
  }

  int nextNodeId() {
    return lastNodeId.incrementAndGet() + Math.abs(project.id().hashCode() % 1000) * 1000;
  }

  // ---- areas and iterations

  /** The area at {@code path} below the root ({@code "Backend/API"}), created with its parents. */
  public Node area(String path) {
    return areas.at(path, true);
  }

  /** The iteration at {@code path} below the root ({@code "Release 1/Sprint 13"}), created with its parents. */
  public Node iteration(String path) {
    return iterations.at(path, true);
  }

  Node tree(String structureGroup) {
    return structureGroup.toLowerCase(Locale.ROOT).startsWith("area") ? areas : iterations;
  }

  /** A node of an area or iteration tree. */
  public static final class Node {
    private final Boards boards;
    final Node parent;
    final String name;
    final String structureType;
    final int id;
    final UUID identifier;
    final List<Node> children = new CopyOnWriteArrayList<>();
    LocalDate start;
    LocalDate finish;

    Node(Boards boards, Node parent, String name, String structureType) {
      this.boards = boards;
      this.parent = parent;
      this.name = name;
      this.structureType = structureType;
      this.id = boards.nextNodeId();
      this.identifier = UUID.nameUUIDFromBytes((boards.project.id() + ":" + structureType + ":" + path())
          .getBytes(StandardCharsets.UTF_8));
    }

    /** The child named {@code childName}, created when missing. */
    public synchronized Node child(String childName) {
      return find(childName).orElseGet(() -> {
        Node created = new Node(boards, this, childName, structureType);
        children.add(created);
        return created;
      });
    }

    Optional<Node> find(String childName) {
      return children.stream().filter(c -> c.name.equalsIgnoreCase(childName)).findFirst();
    }

    Node at(String relative, boolean create) {
      Node node = this;
      for (String segment : relative.split("[/\\\\]")) {
        if (segment.isEmpty()) {
          continue;
        }
        Node next = create ? node.child(segment) : node.find(segment).orElse(null);
        if (next == null) {
          return null;
        }
        node = next;
      }
      return node;
    }

    /** The node with {@code uuid} in this subtree, or null. */
    Node byIdentifier(String uuid) {
      if (identifier.toString().equalsIgnoreCase(uuid)) {
        return this;
      }
      return children.stream().map(c -> c.byIdentifier(uuid)).filter(java.util.Objects::nonNull).findFirst()
          .orElse(null);
    }

    /** The node at {@code path} as work items name it ({@code Project\Backend}), or null. */
    Node byPath(String path) {
      String[] segments = path.split("\\\\", 2);
      if (!segments[0].equalsIgnoreCase(name)) {
        return null;
      }
      return segments.length == 1 ? this : at(segments[1], false);
    }

    /** An iteration's dates. */
    public Node dates(LocalDate startDate, LocalDate finishDate) {
      start = startDate;
      finish = finishDate;
      return this;
    }

    /** The path as work items name it: {@code Project\Backend\API}. */
    public String path() {
      return parent == null ? name : parent.path() + "\\" + name;
    }

    /** The path below the root, as URLs take it: {@code Backend/API}. */
    String relative() {
      return parent == null ? "" : parent.parent == null ? name : parent.relative() + "/" + name;
    }

    String group() {
      return structureType.equals("area") ? "Areas" : "Iterations";
    }

    ObjectNode json(int depth) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id);
      node.put("identifier", identifier.toString());
      node.put("name", name);
      node.put("structureType", structureType);
      node.put("hasChildren", !children.isEmpty());
      String[] segments = path().split("\\\\", 2);
      node.put("path", "\\" + segments[0] + "\\" + (structureType.equals("area") ? "Area" : "Iteration")
          + (segments.length > 1 ? "\\" + segments[1] : ""));
      if (start != null) {
        node.putObject("attributes").put("startDate", start + "T00:00:00Z").put("finishDate", finish + "T00:00:00Z");
      }
      if (depth > 0 && !children.isEmpty()) {
        ArrayNode array = node.putArray("children");
        children.forEach(c -> array.add(c.json(depth - 1)));
      }
      node.put("url", boards.project.organization().url() + "/" + boards.project.id()
          + "/_apis/wit/classificationNodes/" + group()
          + (relative().isEmpty() ? "" : "/" + String.join("/", java.util.Arrays.stream(relative().split("/"))
              .map(Paths::segment).toList())));
      return node;
    }
  }

  // ---- queries

  /**
   * The shared query at {@code path} ({@code "Team/Bugs/Active bugs"}, folders created as needed)
   * with {@code wiql}; an existing one gets the new WIQL.
   */
  public Query sharedQuery(String path, String wiql) {
    String[] segments = path.split("/");
    Query folder = sharedQueries;
    for (int i = 0; i < segments.length - 1; i++) {
      folder = folder.child(segments[i], null);
    }
    Query query = folder.child(segments[segments.length - 1], wiql);
    query.wiql(wiql);
    return query;
  }

  /** A personal query of someone else: Azure DevOps shows it to its owner only, never to the API caller. */
  public Boards personalQueryOf(String owner, String name, String wiql) {
    othersPersonal.add(new Query(this, null, owner + "/" + name, wiql, false));
    return this;
  }

  Optional<Query> query(String idOrPath) {
    for (Query root : List.of(sharedQueries, myQueries)) {
      Optional<Query> found = root.find(idOrPath);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** A query or query folder. */
  public static final class Query {
    private final Boards boards;
    final Query parent;
    final String name;
    final boolean isPublic;
    final UUID id;
    final List<Query> children = new CopyOnWriteArrayList<>();
    volatile String wiql;
    volatile Instant modified = CREATED;

    Query(Boards boards, Query parent, String name, String wiql, boolean isPublic) {
      this.boards = boards;
      this.parent = parent;
      this.name = name;
      this.wiql = wiql;
      this.isPublic = isPublic;
      this.id = UUID.nameUUIDFromBytes((boards.project.id() + ":query:" + path()).getBytes(StandardCharsets.UTF_8));
    }

    /** The query's id, as widgets and links name it. */
    public UUID id() {
      return id;
    }

    boolean isFolder() {
      return wiql == null;
    }

    synchronized Query child(String childName, String childWiql) {
      return children.stream().filter(c -> c.name.equalsIgnoreCase(childName)).findFirst().orElseGet(() -> {
        Query created = new Query(boards, this, childName, childWiql, isPublic);
        children.add(created);
        return created;
      });
    }

    /** Changes the query's WIQL (a folder cannot have one). */
    public Query wiql(String text) {
      if (isFolder()) {
        return this;
      }
      if (!text.equals(wiql)) {
        wiql = text;
        modified = Instant.now();
      }
      return this;
    }

    String path() {
      return parent == null ? name : parent.path() + "/" + name;
    }

    Optional<Query> find(String idOrPath) {
      if (id.toString().equalsIgnoreCase(idOrPath) || path().equalsIgnoreCase(idOrPath)) {
        return Optional.of(this);
      }
      return children.stream().map(c -> c.find(idOrPath)).flatMap(Optional::stream).findFirst();
    }

    ObjectNode json(int depth, boolean all) {
      Organization organization = boards.project.organization();
      ObjectNode node = JSON.createObjectNode();
      node.put("id", id.toString());
      node.put("name", name);
      node.put("path", path());
      node.set("createdBy", Identities.ref(organization, "Avery Tester"));
      node.put("createdDate", CREATED.toString());
      node.set("lastModifiedBy", Identities.ref(organization, "Avery Tester"));
      node.put("lastModifiedDate", modified.toString());
      if (isFolder()) {
        node.put("isFolder", true);
        node.put("hasChildren", !children.isEmpty());
      } else {
        node.put("queryType", "flat");
        if (all) {
          node.put("wiql", wiql);
          ArrayNode columns = node.putArray("columns");
          for (String field : List.of("System.Id", "System.WorkItemType", "System.Title", "System.State")) {
            columns.addObject().put("referenceName", field).put("name", field.substring(field.indexOf('.') + 1))
                .put("url", organization.url() + "/_apis/wit/fields/" + field);
          }
          node.putArray("sortColumns").addObject().put("descending", false).putObject("field")
              .put("referenceName", "System.Id").put("name", "ID");
        }
        // Azure DevOps records every run of a query: what changes without anyone editing it.
        node.putObject("lastExecutedBy").put("displayName", "Sam Developer");
        node.put("lastExecutedDate", Instant.now().toString());
      }
      node.put("isPublic", isPublic);
      if (depth > 0 && !children.isEmpty()) {
        ArrayNode array = node.putArray("children");
        children.forEach(c -> array.add(c.json(depth - 1, all)));
      }
      node.put("url", organization.url() + "/" + boards.project.id() + "/_apis/wit/queries/" + id);
      return node;
    }
  }

  // ---- teams

  /** The team named {@code name}, created on first use (the default team exists from the start). */
  public synchronized Team team(String name) {
    return teams.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst().orElseGet(() -> {
      Team created = new Team(this, name);
      teams.add(created);
      return created;
    });
  }

  List<Team> teams() {
    return List.copyOf(teams);
  }

  Optional<Team> findTeam(String nameOrId) {
    return teams.stream()
        .filter(t -> t.name().equalsIgnoreCase(nameOrId) || t.id().toString().equalsIgnoreCase(nameOrId))
        .findFirst();
  }

  // ---- branch policies

  /** A "minimum number of reviewers" policy on {@code branch} of {@code repository}. */
  public Boards reviewerPolicy(HostedRepository repository, String branch, int minimumApprovers) {
    policies.reviewers(repository, branch, minimumApprovers);
    return this;
  }

  /** A build validation policy: {@code definition} must succeed for pull requests into {@code branch}. */
  public Boards buildPolicy(HostedRepository repository, String branch, BuildDefinition definition) {
    policies.build(repository, branch, definition);
    return this;
  }

  /** A required reviewers policy: the organization's users {@code reviewers} (display names) must approve. */
  public Boards requiredReviewersPolicy(HostedRepository repository, String branch, String... reviewers) {
    policies.requiredReviewers(repository, branch, reviewers);
    return this;
  }

  BranchPolicies policies() {
    return policies;
  }

  // ---- test plans

  /** A new test plan with its root suite. */
  public TestPlan testPlan(String name) {
    TestPlan plan = new TestPlan(this, lastPlanId.incrementAndGet() * 1000, name);
    plans.add(plan);
    return plan;
  }

  List<TestPlan> plans() {
    return List.copyOf(plans);
  }
}
