package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The REST resources Bunker reads, with Azure DevOps' shapes: {@code _apis/connectionData},
 * {@code _apis/projects} (continuation-token paging), {@code _apis/git/repositories} (per project
 * or organization-wide, GET and POST) and {@code _apis/wiki/wikis}.
 */
final class RestApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APIS = "/_apis/";

  private final AdoSandbox sandbox;
  private final MetadataApi metadata = new MetadataApi();
  private final BoardsApi boards = new BoardsApi();
  private final OrganizationApi organizationLevel = new OrganizationApi();
  private final SecurityApi security = new SecurityApi();
  private final TfvcApi tfvc = new TfvcApi();

  RestApi(AdoSandbox sandbox) {
    this.sandbox = sandbox;
  }

  /** An error answer in Azure DevOps' JSON shape. */
  static void error(HttpServletResponse response, int status, String message, String typeKey) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("$id", "1");
    body.putNull("innerException");
    body.put("message", message);
    body.put("typeName", "Microsoft.VisualStudio.Services.WebApi." + typeKey
        + ", Microsoft.VisualStudio.Services.WebApi");
    body.put("typeKey", typeKey);
    body.put("errorCode", 0);
    body.put("eventId", 3000);
    write(response, status, body, null);
  }

  /** What Azure DevOps answers for a route it does not have. */
  static void notFound(HttpServletResponse response, String path) throws IOException {
    error(response, 404, "The controller for path '" + path
        + "' was not found or does not implement IController.", "HttpException");
  }

  void handle(Organization organization, AdoSandbox.Identity identity, String path,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    String rest = path.substring(1 + organization.path().length());
    int apis = rest.indexOf(APIS);
    String projectSegment = rest.substring(0, apis).replaceFirst("^/", "");
    String resource = rest.substring(apis + APIS.length()).toLowerCase(Locale.ROOT);
    Optional<ApiVersion> version = checkVersion(organization, request, response);
    if (version.isEmpty()) {
      return;
    }
    if (boards.handle(organization, projectSegment, resource, rest.substring(apis + APIS.length()), version.get(),
        request, response)) {
      return;
    }
    Project project = null;
    if (!projectSegment.isEmpty()) {
      project = organization.findProject(projectSegment).orElse(null);
      if (project == null) {
        error(response, 404, "TF200016: The following project does not exist: " + projectSegment
            + ". Verify that the name of the project is correct and that the project exists on the "
            + "specified Azure DevOps Server.", "ProjectDoesNotExistWithNameException");
        return;
      }
    }
    String method = request.getMethod();
    String at = version.get().toString();
    if (resource.equals("connectiondata") && project == null && method.equals("GET")) {
      // A preview resource: a plain version gets 400 VssInvalidPreviewVersionException (lucasmaurice/timetracker#18);
      // none at all is what azure-devops-node-api's WebApi.connect sends, and is answered.
      if (request.getParameter("api-version") != null && !version.get().preview()) {
        MetadataApi.previewRequired(response, version.get());
      } else {
        write(response, 200, connectionData(organization, identity), at);
      }
    } else if (resource.equals("projects") && project == null && method.equals("GET")) {
      projects(organization, request, response, at);
    } else if (resource.equals("git/repositories") && method.equals("GET")) {
      boolean hidden = Boolean.parseBoolean(request.getParameter("includeHidden"));
      Stream<Project> scope = project == null ? organization.projects().stream() : Stream.of(project);
      List<HostedRepository> repositories = scope.flatMap(p -> p.repositories().stream())
          .filter(r -> hidden || !r.isHidden()).toList();
      write(response, 200, list(repositories.stream().<JsonNode>map(this::repository).toList()), at);
    } else if (resource.equals("git/repositories") && method.equals("POST")) {
      createRepository(organization, project, request, response, at);
    } else if (resource.equals("identities") && project == null && method.equals("GET")) {
      Identities.search(organization, request, response, at);
    } else if (resource.equals("wiki/wikis") && method.equals("GET")) {
      Stream<Project> scope = project == null ? organization.projects().stream() : Stream.of(project);
      write(response, 200, list(scope.flatMap(this::wikis).toList()), at);
    } else if (!organizationLevel.handle(organization, project, resource, version.get(), request, response)
        && !security.handle(organization, project, resource, version.get(), request, response)
        && !tfvc.handle(organization, project, resource, version.get(), request, response)
        && !metadata.handle(organization, project, resource, rest.substring(apis + APIS.length()),
            version.get(), identity, request, response)) {
      notFound(response, path);
    }
  }

  /**
   * Missing on GET means the newest; POST must say. A malformed version and a too-new one get the
   * service's 400s, worded as public reports quote them: maikvandergaag/msft-extensions#446
   * ("Invalid api version string", VssInvalidApiResourceVersionException) and
   * cribeiro84/azure-devops-pull-request-hub#118 ("… is out of range for this server …").
   */
  private Optional<ApiVersion> checkVersion(Organization organization, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    String requested = request.getParameter("api-version");
    ApiVersion max = organization.maxApiVersion();
    if (requested == null) {
      if (request.getMethod().equals("GET")) {
        return Optional.of(max);
      }
      error(response, 400, "No api-version was supplied for the \"" + request.getMethod()
          + "\" request. The version must be supplied either as part of the Accept header (e.g. "
          + "\"application/json; api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0').",
          "VssVersionNotSpecifiedException");
      return Optional.empty();
    }
    ApiVersion version;
    try {
      version = ApiVersion.parse(requested);
    } catch (IllegalArgumentException e) {
      error(response, 400, "Invalid api version string: \"" + requested + "\". Api version string must be in "
          + "the format: {Major}.{Minor}[-preview[.{ResourceVersion}]].", "VssInvalidApiResourceVersionException");
      return Optional.empty();
    }
    if (version.compareTo(max) > 0) {
      error(response, 400, "The requested REST API version of " + version
          + " is out of range for this server. The latest REST API version this server supports is "
          + max + ".", "VssVersionOutOfRangeException");
      return Optional.empty();
    }
    return Optional.of(version);
  }

  private ObjectNode connectionData(Organization organization, AdoSandbox.Identity identity) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode user = body.putObject("authenticatedUser");
    user.put("id", identity.id().toString());
    user.put("descriptor", "Microsoft.IdentityModel.Claims.ClaimsIdentity;sandbox\\" + identity.id());
    user.put("subjectDescriptor", "aad." + identity.id());
    user.put("providerDisplayName", identity.displayName());
    user.put("isActive", true);
    user.putObject("properties").putObject("Account").put("$type", "System.String")
        .put("$value", "user-" + identity.id().toString().substring(0, 8) + "@sandbox.example");
    user.put("resourceVersion", 2);
    user.put("metaTypeId", 0);
    body.set("authorizedUser", user.deepCopy());
    body.put("instanceId", organization.id().toString());
    body.put("deploymentId", organization.id().toString());
    body.put("deploymentType", organization.isServer() ? "onPremises" : "hosted");
    ObjectNode location = body.putObject("locationServiceData");
    location.put("serviceOwner", "00025394-6065-48ca-87d9-7f5672854ef7");
    location.put("defaultAccessMappingMoniker", "PublicAccessMapping");
    location.put("lastChangeId", 1);
    location.put("lastChangeId64", 1);
    return body;
  }

  /** Pages of at most the organization's page size; the next offset goes in x-ms-continuationtoken. */
  private void projects(Organization organization, HttpServletRequest request,
      HttpServletResponse response, String version) throws IOException {
    int top;
    int start;
    try {
      top = request.getParameter("$top") == null ? 100 : Integer.parseInt(request.getParameter("$top"));
      start = request.getParameter("continuationToken") == null
          ? 0 : Integer.parseInt(request.getParameter("continuationToken"));
    } catch (NumberFormatException e) {
      error(response, 400, "The value of $top or continuationToken is not a valid number.",
          "InvalidArgumentValueException");
      return;
    }
    String stateFilter = request.getParameter("stateFilter");
    List<Project> matching = organization.projects().stream()
        .filter(p -> stateFilter == null ? p.state().equals("wellFormed")
            : stateFilter.equalsIgnoreCase("all") || p.state().equalsIgnoreCase(stateFilter))
        .toList();
    int size = Math.max(1, Math.min(top, organization.pageSize()));
    int end = Math.min(matching.size(), start + size);
    List<JsonNode> page = matching.subList(Math.min(start, end), end).stream()
        .map(p -> (JsonNode) project(p)).toList();
    if (end < matching.size()) {
      response.setHeader("x-ms-continuationtoken", Integer.toString(end));
    }
    write(response, 200, list(page), version);
  }

  private void createRepository(Organization organization, Project pathProject,
      HttpServletRequest request, HttpServletResponse response, String version) throws IOException {
    JsonNode body;
    try {
      body = JSON.readTree(request.getInputStream());
    } catch (IOException e) {
      error(response, 400, "The request body is not valid JSON.", "InvalidArgumentValueException");
      return;
    }
    String name = body == null ? null : body.path("name").asText(null);
    if (name == null || name.isBlank()) {
      error(response, 400, "TF401025: 'name' is not a valid name for a Git repository.",
          "InvalidArgumentValueException");
      return;
    }
    String projectId = body.path("project").path("id").asText(null);
    Project project = pathProject != null ? pathProject
        : projectId == null ? null : organization.findProject(projectId).orElse(null);
    if (project == null) {
      error(response, 400, "TF200016: The following project does not exist: " + projectId + ".",
          "ProjectDoesNotExistException");
      return;
    }
    HostedRepository created = project.create(name);
    if (created == null) {
      error(response, 409, "TF400948: A Git repository with the name " + name
          + " already exists.", "GitRepositoryNameAlreadyExistsException");
      return;
    }
    write(response, 201, repository(created), version);
  }

  private Stream<JsonNode> wikis(Project project) {
    Stream<HostedRepository> projectWiki = Stream.ofNullable(project.projectWiki());
    Stream<HostedRepository> codeWikis = project.repositories().stream().filter(r -> r.codeWikiName() != null);
    return Stream.concat(projectWiki, codeWikis).map(r -> {
      boolean isProjectWiki = r.isHidden();
      ObjectNode wiki = JSON.createObjectNode();
      String wikiId = r.id().toString();
      String base = project.organization().url() + "/" + project.id();
      wiki.put("id", wikiId);
      wiki.putArray("versions").addObject().put("version", isProjectWiki ? "wikiMaster" : "main");
      wiki.put("url", base + "/_apis/wiki/wikis/" + wikiId);
      wiki.put("remoteUrl", base + "/_wiki/wikis/" + wikiId);
      wiki.put("type", isProjectWiki ? "projectWiki" : "codeWiki");
      wiki.put("name", isProjectWiki ? r.name() : r.codeWikiName());
      wiki.put("projectId", project.id().toString());
      wiki.put("repositoryId", r.id().toString());
      wiki.put("mappedPath", "/");
      wiki.put("isDisabled", r.isDisabled());
      return wiki;
    });
  }

  private ObjectNode project(Project project) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", project.id().toString());
    node.put("name", project.name());
    if (project.description() != null) {
      node.put("description", project.description());
    }
    node.put("url", project.organization().url() + "/_apis/projects/" + project.id());
    node.put("state", project.state());
    node.put("revision", 1);
    node.put("visibility", "private");
    node.put("lastUpdateTime", project.lastUpdateTime().toString());
    return node;
  }

  private ObjectNode repository(HostedRepository repository) {
    ObjectNode node = JSON.createObjectNode();
    Organization organization = repository.project().organization();
    node.put("id", repository.id().toString());
    node.put("name", repository.name());
    node.put("url", organization.url() + "/_apis/git/repositories/" + repository.id());
    node.set("project", project(repository.project()));
    String defaultBranch = repository.defaultBranch();
    if (defaultBranch != null) {
      node.put("defaultBranch", defaultBranch);
    }
    node.put("size", repository.size());
    node.put("remoteUrl", repository.listedRemoteUrl());
    node.put("sshUrl", "git@ssh.sandbox.example:v3/" + organization.path() + "/"
        + repository.project().name() + "/" + repository.name());
    node.put("webUrl", repository.remoteUrl().toString());
    node.put("isDisabled", repository.isDisabled());
    node.put("isInMaintenance", repository.isInMaintenance());
    return node;
  }

  private static ObjectNode list(List<JsonNode> values) {
    ObjectNode body = JSON.createObjectNode();
    body.put("count", values.size());
    ArrayNode array = body.putArray("value");
    values.forEach(array::add);
    return body;
  }

  static void write(HttpServletResponse response, int status, JsonNode body, String version)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json; charset=utf-8"
        + (version == null ? "" : "; api-version=" + version));
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }
}
