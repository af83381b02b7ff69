package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input for every endpoint, through the real HTTP host: each gets a 4xx problem+json saying
 * what was wrong, and afterwards every list reads exactly as before.
 */
@ExtendWith(Stack.Extension.class)
@Order(4)
class BadInputIT {
  private static final String OVERSIZED = "{\"name\":\"" + "x".repeat(70_000) + "\",\"token\":\"t\"}";

  private final Stack stack;

  BadInputIT(Stack stack) {
    this.stack = stack;
  }

  /** One request, with the headers it has besides Content-Type, and the status it must get. */
  private record Bad(String what, String method, String path, String body, String contentType,
      Map<String, String> headers, int status) {
    Bad(String what, String method, String path, String body, String contentType, int status) {
      this(what, method, path, body, contentType, Map.of(), status);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyEndpointRefusesBadInputWithAProblemAndChangesNothing() {
    Organization source = stack.sandbox.organization("bad-input");
    HostedRepository repository = source.project("Web").repository("site").withCommits(2);
    String pat = stack.newPat();
    String org = stack.api.registerWithPat(source.url().toString(), pat, null).get("id").asText();
    JsonNode run = stack.api.backUpNow(org);
    JsonNode result = Sources.resultOf(run, repository);
    String repo = result.get("repositoryId").asText();
    String snapshot = result.get("snapshotId").asText();
    String orgPath = "/api/organizations/" + org;
    String sandboxPort = source.url().toString().replaceAll(".*:(\\d+)/.*", "$1");
    String target = "\"target\":{\"project\":\"Web\",\"repository\":\"copy\",\"create\":true}";

    List<Bad> bad = List.of(
        post("malformed JSON", "/api/credentials", "{\"name\": \"x\", \"token\": ", 400),
        post("unknown field", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\",\"colour\":\"red\"}", 400),
        post("number for a string", "/api/credentials", "{\"name\":5,\"token\":\"t\"}", 400),
        post("array for an object", "/api/credentials", "[]", 400),
        post("trailing data", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\"} {}", 400),
        post("duplicate key", "/api/credentials", "{\"name\":\"x\",\"name\":\"y\",\"token\":\"t\"}", 400),
        post("neither token nor secret", "/api/credentials", "{\"name\":\"x\"}", 400),
        post("token and secret", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\",\"keyVaultSecretName\":\"k\"}",
            400),
        post("missing Key Vault secret", "/api/credentials",
            "{\"name\":\"x\",\"keyVaultSecretName\":\"no-such-secret\"}", 400),
        post("no body", "/api/credentials", "", 400),
        post("oversized body", "/api/credentials", OVERSIZED, 413),
        new Bad("not JSON", "POST", "/api/credentials", "name=x&token=t", "application/x-www-form-urlencoded", 415),
        new Bad("JSON look-alike type", "POST", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\"}",
            "text/plain; x=json", 415),
        new Bad("body without a type", "POST", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\"}", null, 415),
        new Bad("cross-site Origin", "POST", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\"}",
            "application/json", Map.of("Origin", "https://evil.example"), 403),
        new Bad("marked cross-site by the browser", "POST", "/api/credentials", "{\"name\":\"x\",\"token\":\"t\"}",
            "application/json", Map.of("Sec-Fetch-Site", "cross-site"), 403),
        new Bad("unknown credential", "DELETE", "/api/credentials/0123456789ab", null, null, 404),

        post("URL off the allow-list", "/api/organizations", "{\"url\":\"https://evil.example.com/org\",\"pat\":\"p\"}",
            400),
        post("metadata endpoint", "/api/organizations", "{\"url\":\"http://169.254.169.254/metadata\",\"pat\":\"p\"}",
            400),
        post("other port of the sandbox host", "/api/organizations",
            "{\"url\":\"http://127.0.0.1:" + (Integer.parseInt(sandboxPort) == 1 ? 2 : 1)
                + "/bad-input\",\"pat\":\"p\"}",
            400),
        post("file URL", "/api/organizations", "{\"url\":\"file:///etc/passwd\",\"pat\":\"p\"}", 400),
        post("credentials in the URL", "/api/organizations",
            "{\"url\":\"http://user:pw@127.0.0.1:" + sandboxPort + "/bad-input-2\",\"pat\":\"p\"}", 400),
        post("PAT not accepted", "/api/organizations",
            "{\"url\":\"" + stack.sandbox.organization("bad-input-2").url() + "\",\"pat\":\"not-a-known-pat\"}", 401),
        post("already registered", "/api/organizations", "{\"url\":\"" + source.url() + "\",\"pat\":\"" + pat + "\"}",
            409),
        post("unknown credential id", "/api/organizations",
            "{\"url\":\"" + stack.sandbox.organization("bad-input-2").url() + "\",\"credentialId\":\"0123456789ab\"}",
            400),
        post("no credential", "/api/organizations", "{\"url\":\"" + source.url() + "\"}", 400),
        post("number for the URL", "/api/organizations", "{\"url\":5,\"pat\":\"p\"}", 400),
        post("bad policy", "/api/organizations",
            "{\"url\":\"" + stack.sandbox.organization("bad-input-2").url()
                + "\",\"pat\":\"p\",\"policy\":{\"schedule\":{\"hours\":[24]}}}",
            400),
        post("malformed registration", "/api/organizations", "{\"url\"", 400),
        get("unknown organization", "/api/organizations/0123456789abcdef", 404),
        new Bad("delete unknown organization", "DELETE", "/api/organizations/0123456789abcdef", null, null, 404),
        new Bad("cross-site delete", "DELETE", orgPath, null, null, Map.of("Origin", "http://evil.example"), 403),
        new Bad("cross-site backup", "POST", orgPath + "/backups", null, null, Map.of("Sec-Fetch-Site", "same-site"),
            403),

        get("policy of unknown organization", "/api/organizations/0123456789abcdef/policy", 404),
        put("hour 25", orgPath + "/policy", "{\"schedule\":{\"hours\":[25]}}", 400),
        put("every 0 hours", orgPath + "/policy", "{\"schedule\":{\"everyHours\":0}}", 400),
        put("hours and everyHours", orgPath + "/policy", "{\"schedule\":{\"hours\":[1],\"everyHours\":6}}", 400),
        put("unknown time zone", orgPath + "/policy", "{\"schedule\":{\"timeZone\":\"Mars/Olympus\"}}", 400),
        put("negative retention", orgPath + "/policy", "{\"retention\":{\"keepLast\":-1}}", 400),
        put("string for a number", orgPath + "/policy", "{\"concurrency\":\"4\"}", 400),
        put("string for a list", orgPath + "/policy", "{\"include\":{\"projects\":\"Web\"}}", 400),
        put("unknown policy field", orgPath + "/policy", "{\"colour\":1}", 400),
        put("malformed policy", orgPath + "/policy", "{", 400),
        put("oversized policy", orgPath + "/policy", OVERSIZED, 413),
        new Bad("cross-site policy", "PUT", orgPath + "/policy", "{\"retention\":{\"keepLast\":1}}", "application/json",
            Map.of("Origin", "null"), 403),
        put("policy of unknown organization", "/api/organizations/0123456789abcdef/policy", "{}", 404),

        post("backup of unknown organization", "/api/organizations/0123456789abcdef/backups", "{}", 404),
        post("string for a list", orgPath + "/backups", "{\"projects\":\"Web\"}", 400),
        post("unknown selection field", orgPath + "/backups", "{\"colour\":1}", 400),
        post("malformed selection", orgPath + "/backups", "{", 400),
        get("top 0", orgPath + "/backups?top=0", 400),
        get("top not a number", orgPath + "/backups?top=abc", 400),
        get("top too large", orgPath + "/backups?top=101", 400),
        get("unknown run", orgPath + "/backups/0000000000000-deadbeef", 404),
        get("malformed run id", orgPath + "/backups/not-a-run", 404),

        get("repositories of unknown organization", "/api/organizations/0123456789abcdef/repositories", 404),
        get("snapshots of unknown repository", orgPath + "/repositories/nope/snapshots", 404),
        get("unknown snapshot", orgPath + "/repositories/" + repo + "/snapshots/20990101T000000Z-deadbeef", 404),
        get("malformed snapshot id", orgPath + "/repositories/" + repo + "/snapshots/garbage", 404),
        get("bundle of unknown snapshot",
            orgPath + "/repositories/" + repo + "/snapshots/20990101T000000Z-deadbeef/bundle", 404),

        post("restore in unknown organization", "/api/organizations/0123456789abcdef/restores", "{}", 404),
        post("malformed restore", orgPath + "/restores", "{\"repositoryId\":", 400),
        post("unknown restore field", orgPath + "/restores",
            "{\"repositoryId\":\"" + repo + "\",\"snapshotId\":\"" + snapshot + "\"," + target + ",\"force\":true}",
            400),
        post("unknown repository", orgPath + "/restores",
            "{\"repositoryId\":\"nope\",\"snapshotId\":\"" + snapshot + "\"," + target + "}", 400),
        post("unknown snapshot", orgPath + "/restores",
            "{\"repositoryId\":\"" + repo + "\",\"snapshotId\":\"20990101T000000Z-deadbeef\"," + target + "}", 400),
        post("no target", orgPath + "/restores",
            "{\"repositoryId\":\"" + repo + "\",\"snapshotId\":\"" + snapshot + "\"}", 400),
        post("unknown target organization", orgPath + "/restores", "{\"repositoryId\":\"" + repo
            + "\",\"snapshotId\":\""
            + snapshot
            + "\",\"target\":{\"organizationId\":\"0123456789abcdef\",\"project\":\"Web\",\"repository\":\"copy\"}}",
            400),
        post("target without project", orgPath + "/restores", "{\"repositoryId\":\"" + repo + "\",\"snapshotId\":\""
            + snapshot + "\",\"target\":{\"repository\":\"copy\"}}", 400),
        post("boolean as string", orgPath + "/restores", "{\"repositoryId\":\"" + repo + "\",\"snapshotId\":\""
            + snapshot + "\",\"target\":{\"project\":\"Web\",\"repository\":\"copy\",\"create\":\"yes\"}}", 400),
        get("unknown restore", orgPath + "/restores/0123456789ab", 404));

    // the verification each backup queues changes the snapshot list when it finishes: wait for it first
    Waiting.until("the backup's snapshot and repository to be verified", Duration.ofSeconds(60),
        () -> lists(org, repo),
        lists -> lists.get("/api/organizations/" + org + "/repositories").contains("\"verifiedAt\"")
            && lists.get("/api/organizations/" + org + "/repositories/" + repo + "/snapshots")
                .contains("\"verifiedAt\""));
    Map<String, String> before = lists(org, repo);
    List<DynamicTest> tests = new ArrayList<>();
    for (Bad request : bad) {
      tests.add(dynamicTest(request.method() + " " + request.what() + " -> " + request.status(), () -> {
        Api.Response response = stack.api.send(request.method(), request.path(), request.body(), request.contentType(),
            request.headers());
        assertThat(response.status()).as(response.toString()).isEqualTo(request.status());
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(request.status());
        assertThat(problem.get("type").asText()).startsWith("urn:bunker:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
      }));
    }
    tests.add(dynamicTest("nothing changed", () -> assertThat(lists(org, repo)).isEqualTo(before)));
    return tests.stream();
  }

  /** What every list endpoint answers now. */
  private Map<String, String> lists(String org, String repo) {
    Map<String, String> lists = new LinkedHashMap<>();
    for (String path : List.of("/api/credentials", "/api/organizations", "/api/organizations/" + org,
        "/api/organizations/" + org + "/policy", "/api/organizations/" + org + "/backups",
        "/api/organizations/" + org + "/repositories",
        "/api/organizations/" + org + "/repositories/" + repo + "/snapshots")) {
      lists.put(path, Api.expect(200, stack.api.get(path)).toString());
    }
    return lists;
  }

  private static Bad post(String what, String path, String body, int status) {
    return new Bad(what, "POST", path, body, "application/json", status);
  }

  private static Bad put(String what, String path, String body, int status) {
    return new Bad(what, "PUT", path, body, "application/json", status);
  }

  private static Bad get(String what, String path, int status) {
    return new Bad(what, "GET", path, null, null, status);
  }
}
