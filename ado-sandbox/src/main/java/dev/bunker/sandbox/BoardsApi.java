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
import java.util.regex.Pattern;

/**
 * The REST resources of boards and project settings, with Azure DevOps' shapes and paging:
 * classification nodes ({@code $depth}), work item types and states, processes, queries
 * ({@code $depth}, {@code $expand}), teams and members ({@code $top}/{@code $skip}), team settings,
 * boards and card settings, dashboards (a preview API), policy configurations and test plans,
 * suites and test cases (continuation tokens); and creating classification nodes and queries.
 * Team resources take the team in the path: {@code {project}/{team}/_apis/work/…}.
 */
final class BoardsApi {

  private static final Pattern NODES = Pattern.compile("wit/classificationnodes(?:/(areas|iterations)(?:/(.+))?)?");
  private static final Pattern TYPE_STATES = Pattern.compile("wit/workitemtypes/([^/]+)/states");
  private static final Pattern QUERIES = Pattern.compile("wit/queries(?:/(.+))?");
  private static final Pattern PROCESS = Pattern.compile(
      "work/processes(?:/([0-9a-f-]{36})(?:/(behaviors|workitemtypes)(?:/([^/]+)/(fields|rules|states|layout))?)?)?");
  private static final Pattern TEAMS = Pattern.compile("projects/([^/]+)/teams(?:/([^/]+)/members)?");
  private static final Pattern TEAM_SETTINGS = Pattern.compile("work/teamsettings(?:/(iterations|teamfieldvalues))?");
  private static final Pattern BOARDS =
      Pattern.compile("work/boards(?:/([^/]+)(?:/(cardsettings|cardrulesettings|columns|rows))?)?");
  private static final Pattern DASHBOARDS = Pattern.compile("dashboard/dashboards(?:/([0-9a-f-]{36}))?");
  private static final Pattern TEST_PLANS = Pattern.compile("testplan/plans(?:/(\\d+)/suites(?:/(\\d+)/testcase)?)?");

  /**
   * Answers the request when it is one of these resources; false leaves it to the caller.
   * {@code scope} is what precedes {@code _apis}: empty, a project, or a project and a team.
   */
  boolean handle(Organization organization, String scope, String resource, String rawResource, ApiVersion version,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    String at = version.toString();
    Matcher m;
    if (scope.isEmpty()) {
      if ((m = PROCESS.matcher(resource)).matches() && method.equals("GET")) {
        if (previewBefore7(version, response)) {
          return true;
        }
        process(organization, m, request, response, at);
        return true;
      }
      if ((m = TEAMS.matcher(resource)).matches() && method.equals("POST") && m.group(2) == null) {
        createTeam(organization, m.group(1), request, response, at);
        return true;
      }
      if ((m = TEAMS.matcher(resource)).matches() && method.equals("GET")) {
        Optional<Project> project = organization.findProject(m.group(1));
        String teamId = m.group(2);
        Optional<Team> team = project.flatMap(p -> teamId == null ? Optional.empty() : p.boards().findTeam(teamId));
        if (project.isEmpty() || (teamId != null && team.isEmpty())) {
          RestApi.error(response, 404, "VS800075: The team or project " + resource + " does not exist.",
              "TeamNotFoundException");
        } else if (m.group(2) == null) {
          skipPage(organization, request, response, project.get().boards().teams().stream()
              .<JsonNode>map(Team::json).toList(), at);
        } else {
          skipPage(organization, request, response, team.get().members().stream()
              .<JsonNode>map(team.get()::memberJson).toList(), at);
        }
        return true;
      }
      return false;
    }
    String[] parts = scope.split("/", 2);
    Optional<Project> found = organization.findProject(parts[0]);
    boolean teamScoped = TEAM_SETTINGS.matcher(resource).matches() || BOARDS.matcher(resource).matches()
        || DASHBOARDS.matcher(resource).matches();
    if (found.isEmpty() || (parts.length > 1 && !teamScoped)) {
      return false;
    }
    Project project = found.get();
    Boards boards = project.boards();
    if (teamScoped) {
      Optional<Team> team = parts.length > 1 ? boards.findTeam(parts[1]) : Optional.of(boards.teams().get(0));
      if (team.isEmpty()) {
        RestApi.error(response, 404, "VS800075: The team with id or name " + parts[1] + " does not exist.",
            "TeamNotFoundException");
      } else {
        team(team.get(), resource, method, version, request, response);
      }
      return true;
    }
    if ((m = NODES.matcher(resource)).matches()) {
      classificationNodes(boards, m, rawResource, method, request, response, at);
      return true;
    }
    if (resource.equals("wit/workitemtypes") && method.equals("GET")) {
      RestApi.write(response, 200, MetadataApi.list(ProcessTemplate.TYPES.stream()
          .<JsonNode>map(t -> ProcessTemplate.projectType(project, t)).toList()), at);
      return true;
    }
    if ((m = TYPE_STATES.matcher(resource)).matches() && method.equals("GET")) {
      // wit/5.0 and wit/6.0 workItemTracking.json Work Item Type States_List take api-Version-preview.1
      if (previewBefore7(version, response)) {
        return true;
      }
      String name = m.group(1);
      Optional<ProcessTemplate.Type> type = ProcessTemplate.TYPES.stream()
          .filter(t -> t.name().equalsIgnoreCase(name) || t.referenceName().equalsIgnoreCase(name)).findFirst();
      if (type.isEmpty()) {
        RestApi.error(response, 404, "TF51535: Cannot find work item type " + name + ".", "WorkItemTypeNotFoundException");
      } else {
        List<JsonNode> states = new ArrayList<>();
        ProcessTemplate.states(type.get()).forEach(states::add);
        RestApi.write(response, 200, MetadataApi.list(states), at);
      }
      return true;
    }
    if ((m = QUERIES.matcher(resource)).matches()) {
      queries(boards, m.group(1) == null ? null : rawResource.substring("wit/queries/".length()), method, request,
          response, at);
      return true;
    }
    if (resource.equals("policy/configurations") && method.equals("GET")) {
      tokenPage(organization, request, response, new ArrayList<JsonNode>(boards.policies()), at);
      return true;
    }
    if (resource.equals("policy/configurations") && method.equals("POST")) {
      JsonNode body = MetadataApi.body(request, response);
      if (body != null) {
        boards.createPolicy(body, response, at);
      }
      return true;
    }
    if ((m = TEST_PLANS.matcher(resource)).matches() && (method.equals("GET") || method.equals("POST"))) {
      if (previewBefore7(version, response)) {
        return true;
      }
      testPlans(organization, boards, m, request, response, at);
      return true;
    }
    return false;
  }

  private void classificationNodes(Boards boards, Matcher m, String rawResource, String method,
      HttpServletRequest request, HttpServletResponse response, String version) throws IOException {
    Integer depth = number(request, response, "$depth", 0);
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
    JsonNode body = MetadataApi.body(request, response);
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

  private void queries(Boards boards, String idOrPath, String method, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    Integer depth = number(request, response, "$depth", 0);
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
      RestApi.error(response, 400, "VS402621: The WIQL query must start with SELECT.", "WorkItemTrackingQueryException");
      return;
    }
    if (parent.children.stream().anyMatch(c -> c.name.equalsIgnoreCase(name))) {
      RestApi.error(response, 409, "TF237018: The name " + name + " is already in use by another query or folder in "
          + parent.path() + ".", "QueryItemNameAlreadyExistsException");
      return;
    }
    RestApi.write(response, 200, parent.child(name, folder ? null : wiql).json(0, true), version);
  }

  private void process(Organization organization, Matcher m, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    String processId = ProcessTemplate.processId(organization).toString();
    if (m.group(1) == null) {
      boolean projects = "projects".equalsIgnoreCase(request.getParameter("$expand"));
      RestApi.write(response, 200, MetadataApi.list(List.of(
          ProcessTemplate.process(organization, projects ? organization.projects() : null))), version);
      return;
    }
    if (!m.group(1).equalsIgnoreCase(processId)) {
      RestApi.error(response, 404, "VS402356: The process with id " + m.group(1) + " does not exist.",
          "ProcessNotFoundByTypeIdException");
      return;
    }
    if (m.group(2) == null) {
      RestApi.write(response, 200, ProcessTemplate.process(organization, null), version);
      return;
    }
    if (m.group(2).equals("behaviors")) {
      RestApi.write(response, 200, list(ProcessTemplate.behaviors()), version);
      return;
    }
    if (m.group(3) == null) {
      String expand = Optional.ofNullable(request.getParameter("$expand")).orElse("none").toLowerCase(Locale.ROOT);
      RestApi.write(response, 200, MetadataApi.list(ProcessTemplate.TYPES.stream().<JsonNode>map(t ->
          ProcessTemplate.processType(t, expand.contains("states"), expand.contains("layout"))).toList()), version);
      return;
    }
    Optional<ProcessTemplate.Type> type = ProcessTemplate.TYPES.stream()
        .filter(t -> t.referenceName().equalsIgnoreCase(m.group(3))).findFirst();
    if (type.isEmpty()) {
      RestApi.error(response, 404, "VS402805: The work item type " + m.group(3) + " does not exist in the process.",
          "WorkItemTypeNotFoundException");
      return;
    }
    switch (m.group(4)) {
      case "fields" -> RestApi.write(response, 200, list(ProcessTemplate.processFields()), version);
      case "rules" -> RestApi.write(response, 200, list(ProcessTemplate.rules(type.get())), version);
      case "states" -> RestApi.write(response, 200,
          list((ArrayNode) ProcessTemplate.processType(type.get(), true, false).path("states")), version);
      default -> RestApi.write(response, 200, ProcessTemplate.processType(type.get(), false, true).path("layout"),
          version);
    }
  }

  private void team(Team team, String resource, String method, ApiVersion version, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    String at = version.toString();
    Matcher m;
    if ((m = TEAM_SETTINGS.matcher(resource)).matches()) {
      String part = m.group(1) == null ? "" : m.group(1);
      String write = part.equals("iterations") ? "POST" : "PATCH";
      if (!method.equals("GET") && !method.equals(write)) {
        notAllowed(response, method);
        return;
      }
      JsonNode body = method.equals("GET") ? null : MetadataApi.body(request, response);
      if (!method.equals("GET") && body == null) {
        return;
      }
      if (part.isEmpty()) {
        String error = body == null ? null : team.patchSettings(body);
        if (error != null) {
          RestApi.error(response, 400, error, "InvalidTeamSettingsException");
        } else {
          RestApi.write(response, 200, team.settings(), at);
        }
      } else if (part.equals("iterations")) {
        if (body == null) {
          RestApi.write(response, 200, MetadataApi.list(new ArrayList<JsonNode>(team.iterations())), at);
          return;
        }
        Boards.Node added = team.addIteration(body.path("id").asText());
        if (added == null) {
          RestApi.error(response, 400, "VS403096: The iteration " + body.path("id").asText() + " does not exist.",
              "InvalidTeamSettingsIterationException");
        } else {
          RestApi.write(response, 200, team.iterationRef(added), at);
        }
      } else {
        String error = body == null ? null : team.patchFieldValues(body);
        if (error != null) {
          RestApi.error(response, 400, error, "InvalidTeamFieldValueException");
        } else {
          RestApi.write(response, 200, team.teamFieldValues(), at);
        }
      }
      return;
    }
    if ((m = BOARDS.matcher(resource)).matches()) {
      board(team, m, method, request, response, at);
      return;
    }
    m = DASHBOARDS.matcher(resource);
    m.matches();
    if (!version.preview()) {
      MetadataApi.previewRequired(response, version);
      return;
    }
    if (team.dashboardsForbidden()) {
      RestApi.error(response, 403, "TF401404: You do not have permission to view the dashboards of team "
          + team.name() + ".", "DashboardPermissionDeniedException");
      return;
    }
    String write = m.group(1) == null ? "POST" : "PUT";
    if (!method.equals("GET") && !method.equals(write)) {
      notAllowed(response, method);
      return;
    }
    JsonNode body = method.equals("GET") ? null : MetadataApi.body(request, response);
    if (!method.equals("GET") && body == null) {
      return;
    }
    if (m.group(1) == null) {
      if (body == null) {
        RestApi.write(response, 200, MetadataApi.list(team.dashboards().stream()
            .<JsonNode>map(d -> d.json(false)).toList()), at);
        return;
      }
      String name = body.path("name").asText("");
      if (name.isBlank()) {
        RestApi.error(response, 400, "TF401406: A dashboard needs a name.", "InvalidArgumentValueException");
        return;
      }
      Team.Dashboard created = team.dashboard(name);
      created.replace(body);
      RestApi.write(response, 200, created.json(true), at);
      return;
    }
    String id = m.group(1);
    Optional<Team.Dashboard> dashboard = team.dashboards().stream()
        .filter(d -> d.dashboardId.toString().equalsIgnoreCase(id)).findFirst();
    if (dashboard.isEmpty()) {
      RestApi.error(response, 404, "TF401405: The dashboard " + id + " does not exist.", "DashboardDoesNotExistException");
      return;
    }
    String error = body == null ? null : dashboard.get().replace(body);
    if (error != null) {
      RestApi.error(response, 409, error, "DashboardVersionMismatchException");
    } else {
      RestApi.write(response, 200, dashboard.get().json(true), at);
    }
  }

  private void board(Team team, Matcher m, String method, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    if (m.group(1) == null) {
      if (!method.equals("GET")) {
        notAllowed(response, method);
        return;
      }
      RestApi.write(response, 200, MetadataApi.list(team.boards().stream().<JsonNode>map(Team.Board::reference)
          .toList()), version);
      return;
    }
    String id = m.group(1);
    Optional<Team.Board> found = team.boards().stream()
        .filter(b -> b.boardId.toString().equalsIgnoreCase(id) || b.name.equalsIgnoreCase(id)).findFirst();
    if (found.isEmpty()) {
      RestApi.error(response, 404, "TF400499: The board " + id + " does not exist.", "BoardDoesNotExistException");
      return;
    }
    Team.Board board = found.get();
    String part = m.group(2) == null ? "" : m.group(2);
    String write = part.equals("cardrulesettings") ? "PATCH" : part.isEmpty() ? "" : "PUT";
    if (!method.equals("GET") && !method.equals(write)) {
      notAllowed(response, method);
      return;
    }
    if (method.equals("GET")) {
      JsonNode answer = switch (part) {
        case "cardsettings" -> board.cardSettings();
        case "cardrulesettings" -> board.cardRules();
        case "columns" -> board.json().path("columns");
        case "rows" -> board.json().path("rows");
        default -> board.json();
      };
      RestApi.write(response, 200, answer.isArray() ? list((ArrayNode) answer) : answer, version);
      return;
    }
    JsonNode body = json(request, response, part.equals("columns") || part.equals("rows"));
    if (body == null) {
      return;
    }
    switch (part) {
      case "columns" -> {
        String error = board.replaceColumns(body);
        if (error != null) {
          RestApi.error(response, 400, error, "BoardValidationFailureException");
          return;
        }
      }
      case "rows" -> board.replaceRows(body);
      case "cardsettings" -> board.cardSettings(body);
      default -> board.cardRules(body);
    }
    JsonNode answer = switch (part) {
      case "columns" -> board.json().path("columns");
      case "rows" -> board.json().path("rows");
      case "cardsettings" -> board.cardSettings();
      default -> board.cardRules();
    };
    RestApi.write(response, 200, answer.isArray() ? list((ArrayNode) answer) : answer, version);
  }

  private void createTeam(Organization organization, String projectId, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    Optional<Project> project = organization.findProject(projectId);
    if (project.isEmpty()) {
      RestApi.error(response, 404, "TF200016: The following project does not exist: " + projectId + ".",
          "ProjectDoesNotExistException");
      return;
    }
    JsonNode body = MetadataApi.body(request, response);
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
    RestApi.write(response, 200, project.get().boards().team(name).json(), version);
  }

  /** A JSON body that must be an array ({@code PUT …/columns}) or an object. */
  private static JsonNode json(HttpServletRequest request, HttpServletResponse response, boolean array)
      throws IOException {
    if (!array) {
      return MetadataApi.body(request, response);
    }
    try {
      JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.getInputStream());
      if (body != null && body.isArray()) {
        return body;
      }
    } catch (IOException e) {
      // answered below
    }
    RestApi.error(response, 400, "The request body must be a JSON array.", "InvalidArgumentValueException");
    return null;
  }

  /**
   * Processes, test plans and work item type states were preview APIs before 7.0: an older version
   * must say {@code -preview}, or the service answers 400 VssInvalidPreviewVersionException (as
   * quoted in dotnet/arcade-services#1141).
   */
  private static boolean previewBefore7(ApiVersion version, HttpServletResponse response) throws IOException {
    if (version.major() < 7 && !version.preview()) {
      MetadataApi.previewRequired(response, version);
      return true;
    }
    return false;
  }

  private static void notAllowed(HttpServletResponse response, String method) throws IOException {
    RestApi.error(response, 405, "The requested resource does not support http method '" + method + "'.",
        "HttpMethodNotAllowedException");
  }

  private void testPlans(Organization organization, Boards boards, Matcher m, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    if (request.getMethod().equals("POST")) {
      createInTestPlan(boards, m, request, response, version);
      return;
    }
    if (m.group(1) == null) {
      tokenPage(organization, request, response, boards.plans().stream().<JsonNode>map(Boards.TestPlan::json).toList(),
          version);
      return;
    }
    int planId = Integer.parseInt(m.group(1));
    Optional<Boards.TestPlan> plan = boards.plans().stream().filter(p -> p.id == planId).findFirst();
    if (plan.isEmpty()) {
      RestApi.error(response, 404, "The test plan with id " + planId + " does not exist.", "TestObjectNotFoundException");
      return;
    }
    if (m.group(2) == null) {
      tokenPage(organization, request, response, plan.get().suites.stream()
          .<JsonNode>map(Boards.TestPlan.Suite::json).toList(), version);
      return;
    }
    int suiteId = Integer.parseInt(m.group(2));
    Optional<Boards.TestPlan.Suite> suite = plan.get().suites.stream().filter(s -> s.id == suiteId).findFirst();
    if (suite.isEmpty()) {
      RestApi.error(response, 404, "The test suite with id " + suiteId + " does not exist.", "TestObjectNotFoundException");
      return;
    }
    List<JsonNode> cases = new ArrayList<>();
    List<Integer> ids = suite.get().testCases;
    for (int i = 0; i < ids.size(); i++) {
      cases.add(suite.get().testCase(ids.get(i), i + 1));
    }
    tokenPage(organization, request, response, cases, version);
  }

  /** A plan ({@code name}, {@code areaPath}, {@code iteration}), a static suite, or test cases (work items). */
  private void createInTestPlan(Boards boards, Matcher m, HttpServletRequest request, HttpServletResponse response,
      String version) throws IOException {
    JsonNode body = json(request, response, m.group(2) != null);
    if (body == null) {
      return;
    }
    if (m.group(1) == null) {
      String name = body.path("name").asText("");
      String area = body.path("areaPath").asText(boards.project().name());
      String iteration = body.path("iteration").asText(boards.project().name());
      if (name.isBlank() || boards.areas.byPath(area) == null || boards.iterations.byPath(iteration) == null) {
        RestApi.error(response, 400, "A test plan needs a name, and an area path and iteration that exist ("
            + area + ", " + iteration + ").", "InvalidPropertyException");
        return;
      }
      RestApi.write(response, 200, boards.testPlan(name).area(area).iteration(iteration).json(), version);
      return;
    }
    int planId = Integer.parseInt(m.group(1));
    Optional<Boards.TestPlan> plan = boards.plans().stream().filter(p -> p.id == planId).findFirst();
    int parentId = m.group(2) == null ? body.path("parentSuite").path("id").asInt() : Integer.parseInt(m.group(2));
    Optional<Boards.TestPlan.Suite> parent = plan.flatMap(p -> p.suites.stream().filter(s -> s.id == parentId)
        .findFirst());
    if (parent.isEmpty()) {
      RestApi.error(response, 404, "The test plan " + planId + " or its suite does not exist.",
          "TestObjectNotFoundException");
      return;
    }
    if (m.group(2) == null) {
      String name = body.path("name").asText("");
      if (name.isBlank() || !"staticTestSuite".equalsIgnoreCase(body.path("suiteType").asText())) {
        RestApi.error(response, 400, "A suite needs a name; the sandbox makes static suites only.",
            "InvalidPropertyException");
        return;
      }
      RestApi.write(response, 200, parent.get().suite(name).json(), version);
      return;
    }
    List<Integer> ids = new ArrayList<>();
    for (JsonNode entry : body) {
      int id = entry.path("workItem").path("id").asInt();
      if (boards.project().workItems().find(id).isEmpty()) {
        RestApi.error(response, 400, "TF26006: Work item " + id + " does not exist or is not a test case.",
            "TestObjectNotFoundException");
        return;
      }
      ids.add(id);
    }
    List<JsonNode> added = new ArrayList<>();
    for (int id : ids) {
      parent.get().testCase(id);
      added.add(parent.get().testCase(id, parent.get().testCases.size()));
    }
    RestApi.write(response, 200, MetadataApi.list(added), version);
  }

  /** {@code $top} (at most the organization's page size) from {@code $skip}. */
  private static void skipPage(Organization organization, HttpServletRequest request, HttpServletResponse response,
      List<JsonNode> all, String version) throws IOException {
    Integer top = number(request, response, "$top", 100);
    Integer skip = top == null ? null : number(request, response, "$skip", 0);
    if (skip == null) {
      return;
    }
    int size = Math.max(1, Math.min(top, organization.pageSize()));
    RestApi.write(response, 200, MetadataApi.list(all.stream().skip(skip).limit(size).toList()), version);
  }

  /** A server-sized page ({@code $top} may ask for less) from {@code continuationToken}. */
  private static void tokenPage(Organization organization, HttpServletRequest request, HttpServletResponse response,
      List<JsonNode> all, String version) throws IOException {
    Integer top = number(request, response, "$top", organization.pageSize());
    Integer start = top == null ? null : number(request, response, "continuationToken", 0);
    if (start != null) {
      MetadataApi.page(response, all, start, Math.min(top, organization.pageSize()), version);
    }
  }

  private static ObjectNode list(ArrayNode values) {
    List<JsonNode> all = new ArrayList<>();
    values.forEach(all::add);
    return MetadataApi.list(all);
  }

  private static Integer number(HttpServletRequest request, HttpServletResponse response, String name, int fallback)
      throws IOException {
    return MetadataApi.number(request, response, name, fallback);
  }
}
