package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.Organization;
import dev.bunker.testing.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs the client through every path that logs or fails — throttling, rate-limit warnings,
 * server errors, dropped connections, timeouts, refused credentials, sign-in pages and redirects,
 * api-version step-down, allow-list refusals — and checks that no token, in any encoding, shows up
 * in a log record, an exception (with its causes and stack), or the sandbox's request log.
 */
class SecretsStayOutOfLogsTest {

  @Test
  void noSecretReachesLogsOrErrors() throws Exception {
    List<String> failures = new ArrayList<>();
    try (AdoSandbox sandbox = AdoSandbox.start(); LogCapture logs = LogCapture.start()) {
      String patSecret = sandbox.pat();
      String bearerSecret = sandbox.bearerToken("bearer-secret-" + System.nanoTime());
      String refusedSecret = "refused-secret-" + System.nanoTime();
      Credential pat = Credential.personalAccessToken(patSecret);
      Credential bearer = Credential.oauth(() -> bearerSecret);
      Credential refused = Credential.personalAccessToken(refusedSecret);
      FakeTime time = new FakeTime();
      AzureDevOpsClient client = AzureDevOpsClient.builder(AllowList.of(List.of(sandbox.url() + "/")))
          .sleeper(time).clock(time).random(new Random(1)).maxAttempts(3)
          .requestTimeout(Duration.ofMillis(300)).build();
      Organization contoso = sandbox.organization("contoso");
      contoso.project("Web").repository("site").withCommits(1);
      OrganizationUrl org = OrganizationUrl.parse(contoso.url().toString());
      Organization server = sandbox.collection("tfs/DefaultCollection").maxApiVersion("5.0");
      OrganizationUrl collection = OrganizationUrl.parse(server.url().toString());

      for (Credential credential : List.of(pat, bearer)) {
        sandbox.faults().throttleNext(1, Duration.ofSeconds(2)).warnRateLimitNext(1, Duration.ofSeconds(5))
            .failNext(2, 503).resetNext(1).slowNext(1, Duration.ofSeconds(1));
        capture(failures, () -> client.projects(org, credential));
        capture(failures, () -> client.repositories(org, credential));
        sandbox.faults().failNext(5, 500);
        capture(failures, () -> client.projects(org, credential));
        sandbox.faults().signInPageNext(1, 203).signInPageNext(1, 200).redirectNextToSignIn(1)
            .redirectNext(1, URI.create("http://169.254.169.254/latest/meta-data"));
        for (int i = 0; i < 4; i++) {
          capture(failures, () -> client.connect(org, credential));
        }
        capture(failures, () -> client.connect(collection, credential));
        capture(failures,
            () -> client.createRepository(org, credential, contoso.project("Web").id().toString(), "site"));
      }
      capture(failures, () -> client.connect(org, refused));
      AzureDevOpsClient cloudOnly = AzureDevOpsClient.builder(AllowList.of(List.of())).build();
      capture(failures, () -> cloudOnly.connect(org, pat));
      capture(failures, () -> OrganizationUrl.parse("https://user:" + patSecret + "@dev.azure.com/contoso"));

      assertThat(failures).as("the scenario should have produced failures to inspect").hasSizeGreaterThan(8);
      assertThat(logs.lines()).as("the scenario should have logged retries").isNotEmpty();
      List<String> forbidden = new ArrayList<>();
      for (String secret : List.of(patSecret, bearerSecret, refusedSecret)) {
        forbidden.add(secret);
        forbidden.add(Base64.getEncoder().encodeToString((":" + secret).getBytes(StandardCharsets.UTF_8)));
      }
      String everything = String.join("\n", logs.lines()) + "\n" + String.join("\n", failures)
          + "\n" + sandbox.requests();
      for (String secret : forbidden) {
        assertThat(everything).doesNotContain(secret);
      }
      assertThat(String.valueOf(pat) + bearer + refused).doesNotContain(patSecret, bearerSecret, refusedSecret);
    }
  }

  private static void capture(List<String> failures, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      failures.add(trace.toString());
    }
  }
}
