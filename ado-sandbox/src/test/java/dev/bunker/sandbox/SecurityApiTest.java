package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's permission APIs over HTTP, with Azure DevOps' api-versions, paging and faults. */
class SecurityApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GIT = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87";
  private static AdoSandbox sandbox;
  private static String auth;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    auth = "Basic " + Base64.getEncoder().encodeToString((":" + sandbox.pat()).getBytes(StandardCharsets.UTF_8));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void accessControlListsAreGenerallyAvailableAndComeInNoFixedOrder() throws Exception {
    Organization organization = sandbox.organization("acls");
    organization.settings().security().ace("Git Repositories", "repoV2", "Admins", 31, 0)
        .ace("Git Repositories", "repoV2/p1", "Readers", 2, 0).ace("Git Repositories", "repoV2/p1", "Writers", 6, 0)
        .unreadable("Build");
    String base = organization.url() + "/_apis/";

    assertThat(get(base + "securitynamespaces?api-version=7.1").path("value"))
        .extracting(n -> n.path("name").asText()).contains("Git Repositories", "Project", "Build", "Identity");
    JsonNode first = get(base + "accesscontrollists/" + GIT + "?includeExtendedInfo=true&recurse=true&api-version=7.1");
    JsonNode second =
        get(base + "accesscontrollists/" + GIT + "?includeExtendedInfo=true&recurse=true&api-version=7.1");
    assertThat(tokens(first)).containsExactly("repoV2", "repoV2/p1");
    assertThat(tokens(second)).containsExactly("repoV2/p1", "repoV2");
    assertThat(first.path("value").get(1).path("acesDictionary").elements().next().path("extendedInfo")
        .path("effectiveAllow").asInt()).isEqualTo(2);
    assertThat(response(base + "accesscontrollists/33344d9c-fc72-4d6f-aba5-fa317101a7e9?api-version=7.1")
        .statusCode()).as("Build unreadable").isEqualTo(403);
    assertThat(response(base + "accesscontrollists/00000000-0000-0000-0000-000000000000?api-version=7.1")
        .statusCode()).isEqualTo(404);
  }

  @Test
  void servicePrincipalsFrom71AndFeedSettingsBefore70ArePreviewAndHonourFaults() throws Exception {
    Organization organization = sandbox.organization("principals").pageSize(2);
    OrganizationSettings.Feed feed = organization.settings().feed("shared");
    organization.settings().security().servicePrincipal("a").servicePrincipal("b").servicePrincipal("c")
        .feedRole(feed, "Readers", "reader").retention(feed, 10, 7);
    String base = organization.url() + "/_apis/";

    assertThat(response(base + "graph/servicePrincipals?api-version=7.1").statusCode()).isEqualTo(400);
    assertThat(response(base + "graph/servicePrincipals?api-version=7.0-preview.1").statusCode())
        .as("no such API before 7.1").isEqualTo(404);
    HttpResponse<String> page = response(base + "graph/servicePrincipals?api-version=7.1-preview.1");
    assertThat(JSON.readTree(page.body()).path("value")).hasSize(2);
    assertThat(page.headers().firstValue("x-ms-continuationtoken")).contains("2");
    String feedBase = base + "packaging/Feeds/" + feed.id();
    assertThat(response(feedBase + "/permissions?api-version=6.0").statusCode()).isEqualTo(400);
    assertThat(get(feedBase + "/permissions?api-version=7.1").path("value"))
        .extracting(p -> p.path("role").asText()).containsExactly("administrator", "contributor", "reader");
    assertThat(get(feedBase + "/retentionpolicies?api-version=7.1-preview.1").path("countLimit").asInt())
        .isEqualTo(10);

    sandbox.faults().throttleNext(1, Duration.ofSeconds(1));
    assertThat(response(feedBase + "/retentionpolicies?api-version=7.1-preview.1").statusCode()).isEqualTo(429);
  }

  private static List<String> tokens(JsonNode acls) {
    List<String> tokens = new ArrayList<>();
    acls.path("value").forEach(acl -> tokens.add(acl.path("token").asText()));
    return tokens;
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = response(url);
    assertThat(response.statusCode()).as(url + " answered " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> response(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
