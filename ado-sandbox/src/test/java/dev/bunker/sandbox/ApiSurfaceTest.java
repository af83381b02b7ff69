package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {

  private static final Path DOC = Path.of("..", "docs", "azure-devops-api.md");
  private static final String TABLE_START = "<!-- api-surface: generated from ado-sandbox api-surface.tsv -->";
  private static final String TABLE_END = "<!-- api-surface: end -->";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private AdoSandbox sandbox;
  private String auth;
  private String project;

  @BeforeEach
  void start() {
    sandbox = AdoSandbox.start();
    auth = "Basic " + Base64.getEncoder().encodeToString((":" + sandbox.pat()).getBytes(StandardCharsets.UTF_8));
    Organization contoso = sandbox.organization("contoso");
    contoso.project("Web").repository("site").withCommits(1);
    project = contoso.url() + "/Web";
  }

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void closeFailsNamingBunkersRequestWithAParameterTheSpecificationLacks() throws Exception {
    send("GET", project + "/_apis/wit/reporting/workitemrevisions?maxPageSize=1000&api-version=7.1", "Bunker");

    assertThatThrownBy(this::closeSandbox)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET Web/_apis/wit/reporting/workitemrevisions parameters maxPageSize api-version 7.1")
        .hasMessageContaining("takes no maxPageSize")
        .hasMessageContaining("Reporting Work Item Revisions_Read Reporting Revisions Get");
  }

  @Test
  void closeFailsOnAnApiVersionTheTableDoesNotList() throws Exception {
    send("GET", project + "/_apis/wit/workItems/1/comments?$top=200&api-version=7.1", "Bunker");

    assertThatThrownBy(this::closeSandbox)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET Web/_apis/wit/workItems/{n}/comments parameters $top api-version 7.1");
  }

  @Test
  void closeFailsOnARouteTheTableDoesNotList() throws Exception {
    send("PUT", project + "/_apis/identities/team/members/someone?api-version=7.1", "Bunker");

    assertThatThrownBy(this::closeSandbox)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("PUT Web/_apis/identities/team/members/someone parameters - api-version 7.1: "
            + "no operation in api-surface.tsv has this route");
  }

  @Test
  void bunkersGitRequestsAreCheckedByTheirHeaders() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(project + "/_git/site/info/refs?service=git-upload-pack&depth=1"))
            .header("Authorization", auth).header(SandboxFilter.FED_AUTH_REDIRECT, "Suppress").GET().build();
    http.send(request, HttpResponse.BodyHandlers.discarding());

    assertThatThrownBy(this::closeSandbox)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET Web/_git/site/info/refs parameters depth,service api-version -");
  }

  @Test
  void requestsInTheTableAndATestsOwnRequestsPass() throws Exception {
    send("GET", project + "/_apis/git/repositories?includeHidden=true&api-version=7.1", "Bunker");
    send("GET", sandbox.organization("contoso").url() + "/_apis/projects?stateFilter=all&$top=100&api-version=7.1",
        "Bunker");
    send("GET", project + "/_apis/wit/reporting/workitemrevisions?maxPageSize=1000&api-version=7.1", null);

    closeSandbox();
  }

  @Test
  void anUnknownQueryParameterChangesNothingInTheAnswer() throws Exception {
    String projects = sandbox.organization("contoso").url() + "/_apis/projects?api-version=7.1";

    HttpResponse<String> plain = send("GET", projects, null);
    HttpResponse<String> withUnknown = send("GET", projects + "&includeEverything=true", "Bunker");

    assertThat(withUnknown.statusCode()).isEqualTo(200);
    assertThat(withUnknown.body()).isEqualTo(plain.body());
    assertThatThrownBy(this::closeSandbox).hasMessageContaining("takes no includeEverything");
  }

  @Test
  void aMalformedApiVersionGetsTheServicesInvalidVersionError() throws Exception {
    HttpResponse<String> answer = send("GET", project + "/_apis/git/repositories?api-version=7.1.", null);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("Invalid api version string: \\\"7.1.\\\". Api version string must be in the "
        + "format: {Major}.{Minor}[-preview[.{ResourceVersion}]].", "VssInvalidApiResourceVersionException");
  }

  @Test
  void aTooNewApiVersionIsOutOfRangeNamingTheLatest() throws Exception {
    String collection = sandbox.collection("tfs/DefaultCollection").url().toString();

    HttpResponse<String> answer = send("GET", collection + "/_apis/projects?api-version=7.1", null);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("The requested REST API version of 7.1 is out of range for this server. "
        + "The latest REST API version this server supports is 6.0.", "VssVersionOutOfRangeException");
  }

  @Test
  void everyOperationNamesAServiceAMethodAPagingModeAndASpecReference() {
    Set<String> seen = new HashSet<>();
    for (ApiSurface.Operation operation : ApiSurface.load().operations()) {
      String row = operation.line();
      assertThat(ApiSurface.SERVICES).as(row).contains(operation.service());
      assertThat(List.of("GET", "POST", "PUT", "PATCH")).as(row).contains(operation.method());
      assertThat(ApiSurface.PAGING).as(row).contains(operation.paging());
      assertThat(operation.spec()).as(row).matches(ApiSurface.SPEC);
      assertThat(seen.add(operation.method() + " " + operation.route() + " " + operation.apiVersions()))
          .as("one row per operation and versions: " + row).isTrue();
      boolean rest = operation.route().contains("_apis/");
      assertThat(operation.apiVersions().isEmpty()).as("only git and Git LFS go without api-version: " + row)
          .isEqualTo(!rest);
      operation.apiVersions().forEach(ApiVersion::parse);
    }
  }

  @Test
  void theDocumentShowsExactlyTheTable() throws Exception {
    List<String> expected = new ArrayList<>();
    expected.add("| Service | Method | Route | api-versions | Parameters | Paging | Limits | Specification |");
    expected.add("|---|---|---|---|---|---|---|---|");
    for (ApiSurface.Operation operation : ApiSurface.load().operations()) {
      String[] cells = operation.line().split("\t", -1);
      cells[2] = "`" + cells[2] + "`";
      cells[4] = cells[4].equals("-") ? "-" : "`" + cells[4] + "`";
      expected.add("| " + String.join(" | ", cells) + " |");
    }
    List<String> doc = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    int start = doc.indexOf(TABLE_START);
    int end = doc.indexOf(TABLE_END);
    assertThat(start).as(DOC + " marks the table with " + TABLE_START).isNotNegative();
    assertThat(end).as(DOC + " ends the table with " + TABLE_END).isGreaterThan(start);
    assertThat(doc.subList(start + 1, end))
        .as("the table in " + DOC + " (regenerate it from api-surface.tsv:\n" + String.join("\n", expected) + "\n)")
        .containsExactlyElementsOf(expected);
  }

  private void closeSandbox() {
    AdoSandbox closing = sandbox;
    sandbox = null;
    closing.close();
  }

  private HttpResponse<String> send(String method, String url, String userAgent) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (userAgent != null) {
      request.header("User-Agent", userAgent);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
