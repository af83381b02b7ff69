package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.testing.UrlEncoding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connecting an organization by signing in with Entra ID (mock-oauth2-server), through devhost:
 * authorize, sign in, callback, then backups with the access tokens the grant gives, refreshed when
 * they expire; replayed, forged and expired state are refused.
 */
@ExtendWith(Stack.Extension.class)
@Order(5)
class OAuthIT {
  private static final Pattern ORGANIZATION_ID = Pattern.compile("data-organization-id=\"([0-9a-f]+)\"");

  private final Stack stack;
  private final HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  OAuthIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void connectsBySigningInAndBacksUpWithRefreshedAccessTokens() throws Exception {
    Organization source = stack.sandbox.organization("oauth");
    HostedRepository site = source.project("Web").repository("site").withCommits(2).withBranches(1);
    URI callback = signIn(source.url().toString());

    Api.Response page = stack.api.get(pathAndQuery(callback));
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(page.text()).contains("data-status=\"connected\"");
    Matcher id = ORGANIZATION_ID.matcher(page.text());
    assertThat(id.find()).isTrue();
    String organizationId = id.group(1);
    JsonNode organization = Api.expect(200, stack.api.get("/api/organizations/" + organizationId));
    assertThat(organization.get("auth").asText()).isEqualTo("oauth");
    String refreshToken = stack.secretStore().get("bunker-credential-" + organization.get("credentialId").asText())
        .orElseThrow();
    stack.secret(refreshToken);

    JsonNode run = stack.api.backUpNow(organizationId);
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
    JsonNode result = Sources.resultOf(run, site);
    assertThat(stack.api.snapshotRefs(organizationId, result.get("repositoryId").asText(),
        result.get("snapshotId").asText())).isEqualTo(Sources.refs(site));
    assertThat(stack.sandbox.requests(request -> request.path().startsWith("/oauth/")))
        .extracting(RecordedRequest::authScheme).containsOnly("Bearer");

    // two hours on, the access token has expired: the next run refreshes it with the grant
    Set<String> tokensBefore = stack.bearerTokens();
    stack.setClock(Instant.now().plus(Duration.ofHours(2)));
    try {
      JsonNode later = stack.api.backUpNow(organizationId);
      assertThat(later.get("status").asText()).as(later.toString()).isEqualTo("succeeded");
    } finally {
      stack.setClock(null);
    }
    assertThat(stack.bearerTokens()).hasSizeGreaterThan(tokensBefore.size());
    stack.secretStore().get("bunker-credential-" + organization.get("credentialId").asText()).ifPresent(stack::secret);

    Api.Response replayed = stack.api.get(pathAndQuery(callback));
    assertThat(replayed.status()).isEqualTo(400);
    assertThat(replayed.text()).contains("data-status=\"error\"");
  }

  @Test
  void forgedOrExpiredStateIsRefusedAndRegistersNothing() throws Exception {
    Organization source = stack.sandbox.organization("oauth-refused");
    source.project("Web").repository("site").withCommits(1);
    String before = Api.expect(200, stack.api.get("/api/organizations")).toString();

    URI callback = signIn(source.url().toString());
    Api.Response forged = stack.api.get("/api/oauth/callback?code=forged&state=forged.state");
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.text()).contains("data-status=\"error\"");

    stack.setClock(Instant.now().plus(Duration.ofMinutes(11)));
    Api.Response expired;
    try {
      expired = stack.api.get(pathAndQuery(callback));
    } finally {
      stack.setClock(null);
    }
    assertThat(expired.status()).isEqualTo(400);
    assertThat(expired.text()).contains("data-status=\"error\"", "expired");
    assertThat(Api.expect(200, stack.api.get("/api/organizations")).toString()).isEqualTo(before);
  }

  @Test
  void anOrganizationOffTheAllowListIsRefusedBeforeSignIn() {
    Api.Response refused = stack.api.get("/api/oauth/authorize?organizationUrl="
        + UrlEncoding.encode("https://evil.example/tfs/Collection"));
    assertThat(refused.status()).isEqualTo(400);
    // the console opens it in its sign-in window: a page that reports to the console, not JSON
    assertThat(refused.header("content-type")).startsWith("text/html");
    assertThat(refused.text()).contains("data-status=\"error\"", "not on the allow-list");
  }

  /**
   * What a browser does between Bunker's authorize redirect and the callback: follows the 302 to
   * Entra ID, signs in on its login page, and is redirected to the callback with code and state.
   */
  private URI signIn(String organizationUrl) throws IOException, InterruptedException {
    Api.Response authorize = stack.api.get("/api/oauth/authorize?organizationUrl="
        + UrlEncoding.encode(organizationUrl));
    assertThat(authorize.status()).as(authorize.toString()).isEqualTo(302);
    URI signIn = URI.create(authorize.header("location"));
    assertThat(signIn.getRawQuery()).contains("code_challenge=", "code_challenge_method=S256", "state=");
    HttpResponse<String> entra = browser.send(HttpRequest.newBuilder(signIn).build(),
        HttpResponse.BodyHandlers.ofString());
    if (entra.statusCode() == 200) {
      entra = browser.send(HttpRequest.newBuilder(signIn).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("username=admin%40e2e.example")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    assertThat(entra.statusCode()).as(entra.body()).isEqualTo(302);
    URI callback = URI.create(entra.headers().firstValue("location").orElseThrow());
    assertThat(callback.getPath()).isEqualTo("/api/oauth/callback");
    return callback;
  }

  private static String pathAndQuery(URI uri) {
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }
}
