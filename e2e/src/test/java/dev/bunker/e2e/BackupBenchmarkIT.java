package dev.bunker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a timed test: prints numbers ({@code mvn -pl e2e -am verify -Pe2e-bench}). An organization of
 * 200 small repositories is backed up in full under devhost with bounded concurrency, against a
 * baseline of CGit mirror-cloning the same repositories with the same concurrency; then a run
 * with no changes, counting the REST calls and git ref advertisements the sandbox answered
 * (target: under 2 REST calls per repository plus one ref advertisement each).
 */
@ExtendWith(Stack.Extension.class)
@Tag("benchmark")
class BackupBenchmarkIT {
  private static final int PROJECTS = 10;
  private static final int REPOSITORIES_PER_PROJECT = 20;
  private static final int CONCURRENCY = 8;

  @Test
  void twoHundredRepositoriesFullThenWithoutChanges(Stack stack) throws Exception {
    Organization source = stack.sandbox.organization("bench");
    for (int p = 0; p < PROJECTS; p++) {
      for (int r = 0; r < REPOSITORIES_PER_PROJECT; r++) {
        source.project("project-" + p).repository("repo-" + r).withCommits(3).withBranches(1).withTag("v1");
      }
    }
    List<HostedRepository> repositories = Sources.repositories(source);
    int n = repositories.size();
    String pat = stack.newPat();

    long baselineNanos = cloneAllWithCgit(repositories, pat, stack.directory("baseline"));

    String id = stack.api.registerWithPat(source.url().toString(), pat, Map.of("concurrency", CONCURRENCY))
        .get("id").asText();
    stack.sandbox.clearRequests();
    int logMark = stack.devhost.log().length();
    long start = System.nanoTime();
    JsonNode full = stack.api.backUpNow(id, Duration.ofMinutes(20));
    long fullNanos = System.nanoTime() - start;
    Map<String, Long> fullCalls = calls(stack.sandbox.requests());
    String fullLog = stack.devhost.log().substring(logMark);

    stack.sandbox.clearRequests();
    logMark = stack.devhost.log().length();
    start = System.nanoTime();
    JsonNode again = stack.api.backUpNow(id, Duration.ofMinutes(20));
    long againNanos = System.nanoTime() - start;
    String againLog = stack.devhost.log().substring(logMark);
    List<RecordedRequest> requests = stack.sandbox.requests();
    Map<String, Long> againCalls = calls(requests);
    long rest = againCalls.getOrDefault("rest", 0L);
    long advertisements = againCalls.getOrDefault("ref advertisement", 0L);
    long fetches = againCalls.getOrDefault("upload-pack", 0L) - advertisements;

    System.out.printf("%n=== Bunker backup benchmark: %d repositories, concurrency %d, under devhost ===%n", n, CONCURRENCY);
    System.out.printf("baseline: CGit clone --mirror of every repository (%d at a time): %.1f s%n",
        CONCURRENCY, baselineNanos / 1e9);
    System.out.printf("full backup:      %s in %.1f s (%.2f x baseline), %s%n", full.get("status").asText(),
        fullNanos / 1e9, (double) fullNanos / baselineNanos, full.get("counts"));
    System.out.printf("  sandbox requests: %s%n", fullCalls);
    System.out.printf("  invocations: %s%n", invocations(fullLog));
    System.out.printf("no-change backup: %s in %.1f s (%.2f x baseline), %s%n", again.get("status").asText(),
        againNanos / 1e9, (double) againNanos / baselineNanos, again.get("counts"));
    System.out.printf("  sandbox requests: %s%n", againCalls);
    System.out.printf("  invocations: %s%n", invocations(againLog));
    System.out.printf("  REST calls per repository: %.3f (target < 2); ref advertisements per repository: %.3f "
        + "(target 1); fetches per repository: %.3f%n", (double) rest / n, (double) advertisements / n,
        (double) fetches / n);
    System.out.printf("  REST calls: %s%n", requests.stream().filter(r -> !r.isGit())
        .collect(Collectors.groupingBy(r -> r.method() + " " + r.path().replaceAll("project-\\d+", "{project}"),
            TreeMap::new, Collectors.counting())));
    System.out.printf("  objects added: %d%n", sum(again, "objectsAdded"));
  }

  /**
   * Requests by kind: REST, git ref advertisements ({@code GET info/refs}), upload-pack POSTs, other
   * git. JGit fetches with protocol v2, where advertising refs is {@code GET info/refs} (capabilities)
   * plus one {@code ls-refs} POST, and fetching objects is one more POST: so upload-pack POSTs beyond
   * one per advertisement are fetches.
   */
  private static Map<String, Long> calls(List<RecordedRequest> requests) {
    return requests.stream().collect(Collectors.groupingBy(request -> {
      if (!request.isGit()) {
        return "rest";
      }
      if (request.path().endsWith("/info/refs")) {
        return "ref advertisement";
      }
      return request.path().endsWith("/git-upload-pack") ? "upload-pack" : "other git";
    }, TreeMap::new, Collectors.counting()));
  }

  /** Per function in a stretch of devhost's log: how many invocations, and their mean and longest duration. */
  private static Map<String, String> invocations(String log) {
    Map<String, LongSummaryStatistics> byFunction = new TreeMap<>();
    Matcher executed = Pattern
        .compile("Executed 'Functions\\.(\\w+)' \\(\\w+, Id=[^,]+, Duration=(\\d+)ms\\)").matcher(log);
    while (executed.find()) {
      byFunction.computeIfAbsent(executed.group(1), f -> new LongSummaryStatistics())
          .accept(Long.parseLong(executed.group(2)));
    }
    Map<String, String> summary = new TreeMap<>();
    byFunction.forEach((function, stats) -> summary.put(function, String.format("%d x, mean %.0f ms, max %d ms",
        stats.getCount(), stats.getAverage(), stats.getMax())));
    return summary;
  }

  private static long sum(JsonNode run, String field) {
    long total = 0;
    for (JsonNode result : run.get("results")) {
      total += result.path(field).asLong();
    }
    return total;
  }

  private static long cloneAllWithCgit(List<HostedRepository> repositories, String pat, Path directory)
      throws Exception {
    String basic = Base64.getEncoder().encodeToString((":" + pat).getBytes(StandardCharsets.UTF_8));
    Map<String, String> header = Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "http.extraHeader",
        "GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    long start = System.nanoTime();
    try {
      List<Future<String>> clones = repositories.stream().map(repository -> pool.submit(() -> CGit.run(header,
          "clone", "--quiet", "--mirror", repository.remoteUrl().toString(),
          directory.resolve(repository.id().toString()).toString()))).toList();
      for (Future<String> clone : clones) {
        clone.get(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdown();
    }
    return System.nanoTime() - start;
  }
}
