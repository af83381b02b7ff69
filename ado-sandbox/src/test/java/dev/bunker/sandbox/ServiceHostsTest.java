package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Azure DevOps Services serves each REST area on the host the specification names, and only there. */
class ServiceHostsTest extends SandboxApiTest {

  static HttpClient cloud;

  @BeforeAll
  static void organization() {
    cloud = sandbox.cloudHttpClient();
    Project web = sandbox.organization("fabrikam").project("Web");
    web.repository("site").withCommits(1);
    web.pipelines().releaseDefinition("deploy");
    sandbox.collection("tfs/DefaultCollection").project("OnPrem");
  }

  static HttpResponse<String> cloudGet(String url) throws Exception {
    return cloud.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void coreAreasAnswerOnDevAzureComNamingThatHost() throws Exception {
    HttpResponse<String> projects = cloudGet("https://dev.azure.com/fabrikam/_apis/projects?api-version=7.1");
    assertThat(projects.statusCode()).isEqualTo(200);
    assertThat(projects.body()).contains("\"url\":\"https://dev.azure.com/fabrikam/_apis/projects/")
        .doesNotContain(sandbox.url());
    assertThat(cloudGet("https://dev.azure.com/fabrikam/Web/_apis/git/repositories?api-version=7.1").body())
        .contains("https://dev.azure.com/fabrikam/Web/_git/site");
  }

  @Test
  void serviceAreasAnswerOnlyOnTheirOwnHost() throws Exception {
    assertThat(cloudGet("https://vssps.dev.azure.com/fabrikam/_apis/graph/users?api-version=7.1-preview.1")
        .statusCode()).isEqualTo(200);
    assertThat(cloudGet("https://vsrm.dev.azure.com/fabrikam/Web/_apis/release/definitions?api-version=7.1")
        .statusCode()).isEqualTo(200);

    HttpResponse<String> graphOnCore =
        cloudGet("https://dev.azure.com/fabrikam/_apis/graph/users?api-version=7.1-preview.1");
    assertThat(graphOnCore.statusCode()).isEqualTo(404);
    assertThat(graphOnCore.body()).contains("vssps.dev.azure.com");
    assertThat(cloudGet("https://dev.azure.com/fabrikam/Web/_apis/release/definitions?api-version=7.1").statusCode())
        .isEqualTo(404);
    assertThat(cloudGet("https://vssps.dev.azure.com/fabrikam/_apis/projects?api-version=7.1").statusCode())
        .isEqualTo(404);
    assertThat(cloudGet("https://feeds.dev.azure.com/fabrikam/Web/_apis/release/definitions?api-version=7.1")
        .statusCode()).isEqualTo(404);
  }

  @Test
  void serverCollectionsAreNotOnCloudHostsAndServeEveryAreaAtTheirUrl() throws Exception {
    assertThat(cloudGet("https://dev.azure.com/tfs/DefaultCollection/_apis/projects?api-version=6.0").statusCode())
        .isEqualTo(404);
    String collection = sandbox.collection("tfs/DefaultCollection").url().toString();
    assertThat(response(collection + "/_apis/projects?api-version=6.0").statusCode()).isEqualTo(200);
    assertThat(response(collection + "/_apis/packaging/feeds?api-version=6.0-preview.1").statusCode()).isEqualTo(200);
    assertThat(response(collection + "/_apis/graph/users?api-version=6.0-preview.1").statusCode())
        .as("Azure DevOps Server has no Graph").isEqualTo(404);
  }
}
