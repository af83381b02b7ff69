package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The REST resources of boards and project settings, with Azure DevOps' shapes and paging, as route
 * tables: classification nodes ({@code $depth}), work item types and states, processes, queries
 * ({@code $depth}, {@code $expand}), teams and members ({@code $top}/{@code $skip}), team settings,
 * boards and card settings, dashboards (a preview API) in {@link TeamApi}, policy configurations, and
 * test plans, suites and test cases (continuation tokens) in {@link TestPlanApi}; and creating
 * classification nodes and queries. Team resources take the team in the path:
 * {@code {project}/{team}/_apis/work/…}.
 */
final class BoardsApi {
  private final TeamApi teamApi = new TeamApi();
  private final TestPlanApi testPlanApi = new TestPlanApi();
  private final ProcessApi processApi = new ProcessApi();

  /** An organization's ({@code _apis/…}). */
  private final Routes<BoardsCall> organizationRoutes = new Routes<BoardsCall>()
      .on("GET",
          "work/processes(?:/([0-9a-f-]{36})(?:/(behaviors|workitemtypes)(?:/([^/]+)/(fields|rules|states|layout))?)?)?",
          processApi::process)
      .on("POST", "projects/([^/]+)/teams", this::createTeam)
      .on("GET", "projects/([^/]+)/teams(?:/([^/]+)/members)?", this::teams);

  /** A team's ({@code {project}/{team}/_apis/…}, or the project's default team without one). */
  private final Routes<BoardsCall> teamRoutes = new Routes<BoardsCall>()
      .on("*", "work/teamsettings(?:/(iterations|teamfieldvalues))?", teamApi::settings)
      .on("*", "work/boards(?:/([^/]+)(?:/(cardsettings|cardrulesettings|columns|rows))?)?", teamApi::board)
      .on("*", "dashboard/dashboards(?:/([0-9a-f-]{36}))?", teamApi::dashboards);

  /** A project's ({@code {project}/_apis/…}). */
  private final Routes<BoardsCall> projectRoutes = new Routes<BoardsCall>()
      .on("*", "wit/classificationnodes(?:/(areas|iterations)(?:/(.+))?)?", this::classificationNodes)
      .on("GET", "wit/workitemtypes", processApi::workItemTypes)
      .on("GET", "wit/workitemtypes/([^/]+)/states", processApi::typeStates)
      .on("*", "wit/queries(?:/(.+))?", this::queries)
      .on("GET", "policy/configurations", this::policies)
      .on("POST", "policy/configurations", this::createPolicy)
      .on("GET", TestPlanApi.PLANS, testPlanApi::answer)
      .on("POST", TestPlanApi.PLANS, testPlanApi::answer);

  /**
   * Answers the request when it is one of these resources; false leaves it to the caller.
   * {@code scope} is what precedes {@code _apis}: empty, a project, or a project and a team.
   */
  boolean handle(Organization organization, String scope, String resource, String rawResource, ApiVersion version,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    if (scope.isEmpty()) {
      return organizationRoutes.answer(new BoardsCall(organization, null, null, rawResource, version, request,
          response), method, resource);
    }
    String[] parts = scope.split("/", 2);
    Optional<Project> found = organization.findProject(parts[0]);
    boolean teamScoped = teamRoutes.has(resource);
    if (found.isEmpty() || (parts.length > 1 && !teamScoped)) {
      return false;
    }
    BoardsCall call = new BoardsCall(organization, found.get(), null, rawResource, version, request, response);
    if (!teamScoped) {
      return projectRoutes.answer(call, method, resource);
    }
    Boards boards = call.boards();
    Optional<Team> team = parts.length > 1 ? boards.findTeam(parts[1]) : Optional.of(boards.teams().get(0));
    if (team.isEmpty()) {
      RestApi.error(response, 404, "VS800075: The team with id or name " + parts[1] + " does not exist.",
          "TeamNotFoundException");
      return true;
    }
    return teamRoutes.answer(call.withTeam(team.get()), method, resource);
  }

  private void teams(BoardsCall call, Matcher m) throws IOException {
    Optional<Project> project = call.organization().findProject(m.group(1));
    String teamId = m.group(2);
    Optional<Team> team = project.flatMap(p -> teamId == null ? Optional.empty() : p.boards().findTeam(teamId));
    if (project.isEmpty() || (teamId != null && team.isEmpty())) {
      RestApi.error(call.response(), 404, "VS800075: The team or project " + m.group() + " does not exist.",
          "TeamNotFoundException");
    } else if (m.group(2) == null) {
      skipPage(call, project.get().boards().teams().stream().<JsonNode>map(Team::json).toList());
    } else {
      skipPage(call, team.get().members().stream().<JsonNode>map(team.get()::memberJson).toList());
    }
  }

  private void policies(BoardsCall call, Matcher m) throws IOException {
    tokenPage(call, new ArrayList<JsonNode>(call.boards().policies().all()));
  }

  private void createPolicy(BoardsCall call, Matcher m) throws IOException {
    JsonNode body = MetadataApi.body(call.request(), call.response());
    if (body != null) {
      call.boards().policies().create(body, call.response(), call.at());
    }
  }

  private void classificationNodes(BoardsCall call, Matcher m) throws IOException {
    Boards boards = call.boards();
    String method = call.method();
    String rawResource = call.rawResource();
    HttpServletResponse response = call.response();
    String version = call.at();
    Integer depth = number(call, "$depth", 0);
    if (depth == null) {
      return;
    }
    if (m.group(1) == null) {
      if (!method.equals("GET")) {
        notAllowed(response, method);
        return;
      }
      RestApi.write(response, 200, MetadataApi.list(List.of(boards.areas.json(depth), boards.iterations.json(depth))),
          version);
      return;
    }
    Boards.Node root = boards.tree(m.group(1));
    String path = m.group(2) == null ? ""
        : rawResource.substring(rawResource.indexOf('/', "wit/classificationnodes/".length()) + 1);
    Boards.Node node = root.at(path, false);
    if (node == null) {
      RestApi.error(response, 404, "VS402485: The node name " + path + " under " + m.group(1)
          + " could not be found.", "WorkItemTrackingTreeNodeNotFoundException");
      return;
    }
    if (method.equals("GET")) {
      RestApi.write(response, 200, node.json(depth), version);
      return;
    }
    if (!method.equals("POST")) {
      notAllowed(response, method);
      return;
    }
    JsonNode body = MetadataApi.body(call.request(), response);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    if (name.isBlank() || name.matches(".*[\\\\/$?*:\"&<>#%|+].*")) {
      RestApi.error(response, 400, "VS402369: The name '" + name + "' is not a valid classification node name.",
          "ClassificationNodeInvalidNameException");
      return;
    }
    if (node.find(name).isPresent()) {
      RestApi.error(response, 409, "VS402371: Classification node name " + name + " is already in use by a different "
          + "child of parent classification node " + node.name + ". Choose a different name and try again.",
          "ClassificationNodeDuplicateNameException");
      return;
    }
    Boards.Node created = node.child(name);
    JsonNode attributes = body.path("attributes");
    if (attributes.has("startDate") && attributes.has("finishDate")) {
      created.dates(LocalDate.parse(attributes.path("startDate").asText().substring(0, 10)),
          LocalDate.parse(attributes.path("finishDate").asText().substring(0, 10)));
    }
    RestApi.write(response, 201, created.json(0), version);
  }

  private void queries(BoardsCall call, Matcher m) throws IOException {
    Boards boards = call.boards();
    String idOrPath = m.group(1) == null ? null : call.rawResource().substring("wit/queries/".length());
    String method = call.method();
    HttpServletRequest request = call.request();
    HttpServletResponse response = call.response();
    String version = call.at();
    Integer depth = number(call, "$depth", 0);
    if (depth == null) {
      return;
    }
    if (depth > 2) {
      RestApi.error(response, 400, "VS402338: The depth parameter must be between 0 and 2.",
          "QueryHierarchyDepthOutOfRangeException");
      return;
    }
    boolean all = Optional.ofNullable(request.getParameter("$expand")).orElse("none").toLowerCase(Locale.ROOT)
        .matches("all|wiql");
    if (idOrPath == null) {
      if (!method.equals("GET")) {
        notAllowed(response, method);
        return;
      }
      RestApi.write(response, 200, MetadataApi.list(List.of(boards.myQueries.json(depth, all),
          boards.sharedQueries.json(depth, all))), version);
      return;
    }
    Optional<Boards.Query> query = boards.query(idOrPath);
    if (query.isEmpty()) {
      RestApi.error(response, 404, "TF401243: The query " + idOrPath + " does not exist, or you do not have "
          + "permission to read it.", "QueryItemNotFoundException");
      return;
    }
    if (method.equals("GET")) {
      RestApi.write(response, 200, query.get().json(depth, all), version);
      return;
    }
    if (!method.equals("POST")) {
      notAllowed(response, method);
      return;
    }
    JsonNode body = MetadataApi.body(request, response);
    if (body == null) {
      return;
    }
    Boards.Query parent = query.get();
    String name = body.path("name").asText("");
    boolean folder = body.path("isFolder").asBoolean(false);
    String wiql = body.path("wiql").asText(null);
    if (!parent.isFolder() || name.isBlank()) {
      RestApi.error(response, 400, "TF237020: A query must be created in a folder, with a name.",
          "QueryItemInvalidException");
      return;
    }
    if (!folder && (wiql == null || !wiql.trim().toLowerCase(Locale.ROOT).startsWith("select"))) {
      RestApi.error(response, 400, "VS402621: The WIQL query must start with SELECT.",
          "WorkItemTrackingQueryException");
      return;
    }
    if (parent.children.stream().anyMatch(c -> c.name.equalsIgnoreCase(name))) {
      RestApi.error(response, 409, "TF237018: The name " + name + " is already in use by another query or folder in "
          + parent.path() + ".", "QueryItemNameAlreadyExistsException");
      return;
    }
    RestApi.write(response, 200, parent.child(name, folder ? null : wiql).json(0, true), version);
  }

  private void createTeam(BoardsCall call, Matcher m) throws IOException {
    String projectId = m.group(1);
    HttpServletResponse response = call.response();
    Optional<Project> project = call.organization().findProject(projectId);
    if (project.isEmpty()) {
      RestApi.error(response, 404, "TF200016: The following project does not exist: " + projectId + ".",
          "ProjectDoesNotExistException");
      return;
    }
    JsonNode body = MetadataApi.body(call.request(), response);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    if (name.isBlank()) {
      RestApi.error(response, 400, "VS403311: A team needs a name.", "InvalidArgumentValueException");
      return;
    }
    if (project.get().boards().findTeam(name).isPresent()) {
      RestApi.error(response, 409, "VS403312: The team " + name + " already exists in " + project.get().name() + ".",
          "TeamAlreadyExistsException");
      return;
    }
    RestApi.write(response, 200, project.get().boards().team(name).json(), call.at());
  }

  /** A JSON body that must be an array ({@code PUT …/columns}) or an object. */
  static JsonNode json(BoardsCall call, boolean array) throws IOException {
    if (!array) {
      return MetadataApi.body(call.request(), call.response());
    }
    try {
      JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(call.request().getInputStream());
      if (body != null && body.isArray()) {
        return body;
      }
    } catch (IOException e) {
      // answered below
    }
    RestApi.error(call.response(), 400, "The request body must be a JSON array.", "InvalidArgumentValueException");
    return null;
  }

  /**
   * Processes, test plans and work item type states were preview APIs before 7.0: an older version
   * must say {@code -preview}, or the service answers 400 VssInvalidPreviewVersionException (as
   * quoted in dotnet/arcade-services#1141).
   */
  static boolean previewBefore7(BoardsCall call) throws IOException {
    if (call.version().major() < 7 && !call.version().preview()) {
      MetadataApi.previewRequired(call.response(), call.version());
      return true;
    }
    return false;
  }

  static void notAllowed(HttpServletResponse response, String method) throws IOException {
    RestApi.error(response, 405, "The requested resource does not support http method '" + method + "'.",
        "HttpMethodNotAllowedException");
  }

  /** {@code $top} (at most the organization's page size) from {@code $skip}. */
  private static void skipPage(BoardsCall call, List<JsonNode> all) throws IOException {
    Integer top = number(call, "$top", 100);
    Integer skip = top == null ? null : number(call, "$skip", 0);
    if (skip == null) {
      return;
    }
    int size = Math.max(1, Math.min(top, call.organization().pageSize()));
    RestApi.write(call.response(), 200, MetadataApi.list(all.stream().skip(skip).limit(size).toList()), call.at());
  }

  /** A server-sized page ({@code $top} may ask for less) from {@code continuationToken}. */
  static void tokenPage(BoardsCall call, List<JsonNode> all) throws IOException {
    int pageSize = call.organization().pageSize();
    Integer top = number(call, "$top", pageSize);
    Integer start = top == null ? null : number(call, "continuationToken", 0);
    if (start != null) {
      MetadataApi.page(call.response(), all, start, Math.min(top, pageSize), call.at());
    }
  }

  static ObjectNode list(ArrayNode values) {
    List<JsonNode> all = new ArrayList<>();
    values.forEach(all::add);
    return MetadataApi.list(all);
  }

  private static Integer number(BoardsCall call, String name, int fallback) throws IOException {
    return MetadataApi.number(call.request(), call.response(), name, fallback);
  }
}
