package dev.bunker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.Project;
import dev.bunker.sandbox.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The project issue 9's demo asks for, made up cheaply (work items are generated from their
 * number, nothing is stored until changed): more than 20,000 work items with revisions, comments
 * and attachments, pull requests in every state with long descriptions and threads, pipeline
 * definitions with a secret, and Git LFS files. With the steps both the demo test and the
 * benchmark take through the API.
 */
final class MetadataDemo {
  static final int WORK_ITEMS = 21_000;
  static final String PROJECT = "Product";
  static final String DESCRIPTION = "Why: " + "the checkout needs a retry when the payment service times out. "
      .repeat(60);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  final Organization organization;
  final Project project;
  final HostedRepository app;
  final byte[] logo = bytes(1, 200_000);
  final byte[] manual = bytes(2, 600_000);

  MetadataDemo(Organization organization) {
    this.organization = organization;
    this.project = organization.project(PROJECT).workItems(WORK_ITEMS);
    // named like the project, as Azure DevOps names a project's first repository (and the sandbox's definitions build it)
    this.app = project.repository(PROJECT).withCommits(3).withLfsFile("assets/logo.png", logo)
        .withLfsFile("docs/manual.pdf", manual);
    String[] states = {"active", "completed", "abandoned"};
    for (int i = 1; i <= 12; i++) {
      var pr = app.pullRequest("Change " + i).description(DESCRIPTION + i).status(states[i % 3])
          .reviewer("Sam Developer", i % 2 == 0 ? 10 : -5).iterations(1 + i % 3).linkedWorkItem(i * 10)
          .thread("Why this way?", "Because the API throttles", "Fair enough")
          .thread("fixed", "/src/checkout.java", 10 + i, "Off by one here");
      if (i == 12) {
        pr.draft();
      }
    }
    project.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "s1gn-me");
    project.buildDefinition("nightly").yamlFilename("nightly.yml");
    project.variableGroup("shared").variable("region", "westeurope").secret("dbPassword", "hunter2");
  }

  /** A few changes between two runs: a rename, a comment, a new bug with a file, a deletion, a PR reply. */
  void changeAFewThings() {
    project.workItems().get(100).update("System.Title", "Checkout retries on timeout");
    project.workItems().get(200).comment("Kim Lead", "Seen again after the release");
    project.workItems().create("Bug", "Refund fails for partial orders")
        .attach("refund.log", "refund failed: amount mismatch".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    project.workItems().delete(300);
    app.pullRequests().get(0).thread("One more question about the retry budget");
  }

  /** The project's metadata snapshots, newest first. */
  static JsonNode snapshots(Api api, String organizationId, String projectId) {
    return Api.expect(200, api.get("/api/organizations/" + organizationId + "/projects/" + projectId + "/metadata"));
  }

  /** REST calls (not git) the sandbox answered for this organization, by method and resource. */
  Map<String, Long> restCalls(List<RecordedRequest> requests) {
    return requests.stream().filter(r -> !r.isGit() && r.path().startsWith("/" + organization.path() + "/"))
        .collect(Collectors.groupingBy(r -> r.method() + " " + r.path().substring(organization.path().length() + 1)
            .replace(project.id().toString(), "{project}").replaceAll("/[0-9a-f]{8}-[0-9a-f-]{27}", "/{id}")
            .replaceAll("/\\d+", "/{n}").replaceAll("/[0-9a-f]{64}", "/{oid}"), TreeMap::new, Collectors.counting()));
  }

  static long total(Map<String, Long> calls) {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  private static byte[] bytes(int seed, int size) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return content;
  }
}
