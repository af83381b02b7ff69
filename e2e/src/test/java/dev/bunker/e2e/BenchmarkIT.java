package dev.bunker.e2e;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.azurite.Azurite;
import dev.bunker.devhost.DevHostProcess;
import dev.bunker.sandbox.AdoSandbox;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.testing.SyntheticHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a timed test: prints numbers ({@code scripts/benchmark}, which runs
 * {@code mvn -pl e2e -am verify -Pe2e-bench}). Each figure beside its CGit baseline, measured in
 * the same run against the same git server (the sandbox serving git through CGit's
 * git-http-backend), the packaged app under a fresh devhost JVM, Azurite:
 * <ul>
 * <li>one big repository (generated, or {@code -Dbench.repo=BARE_DIR}) from the API call to the run
 * {@code finished}, worker at {@code -Xmx256m}, vs {@code git clone --mirror};
 * <li>its first snapshot's verification (the invocation) vs {@code git fsck} of the mirror;
 * <li>its bundle (request to file downloaded) vs {@code git bundle create --all}, and its restore by push
 * into a new repository vs {@code git push} of the same refs (all but pull request refs);
 * <li>organizations of {@code -Dbench.organizations=200[,2000]} small repositories, full and no-change
 * runs at concurrency 8 (worker at {@code -Xmx512m}), vs CGit mirror-cloning them 8 at a time, and the
 * no-change run vs CGit fetching into those mirrors with nothing new, 8 at a time;
 * per-repository fixed cost, REST calls and ref advertisements of the no-change run, and the app's
 * storage requests per repository in both runs, by service and by what they touched.
 * </ul>
 * Three runs ({@code -Dbench.runs}); the table gives medians, ranges and ratios of medians, and the
 * Azurite floor (bytes stored / Azurite's measured ingest rate) beside the figures it bounds.
 */
@Tag("benchmark")
class BenchmarkIT {
  private static final int RUNS = Integer.getInteger("bench.runs", 3);
  private static final int COMMITS = Integer.getInteger("bench.commits", 12000);
  private static final int REFS = Integer.getInteger("bench.refs", 3000);
  private static final String REPO = System.getProperty("bench.repo", "");
  private static final List<Integer> ORGANIZATIONS = List.of(System.getProperty("bench.organizations", "200")
      .split(",")).stream().filter(s -> !s.isBlank()).map(s -> Integer.parseInt(s.trim())).toList();
  private static final int CONCURRENCY = 8;
  private static final String BIG_HEAP = "-Xmx256m";
  private static final String HEAP = "-Xmx512m";
  /**
   * Worker JVM options after the Java worker's defaults: by default those `infra/main.bicep` sets
   * (as `local.settings.json.example` does), so the worker runs as deployed; {@code -Dbench.jvm}
   * replaces them ({@code ""}: the Java worker's defaults alone).
   */
  private static final String WORKER_JVM = System.getProperty("bench.jvm", deployedWorkerOptions());
  /**
   * The packaged apps to measure, {@code label=directory,...} (e.g. main's build beside this one's, in
   * the same run under the same load); by default the one just built.
   */
  private static final List<App> APPS = App.parse(System.getProperty("bench.apps", ""));
  /** Where to write a flight recording of each app's last big-repository backup (JFR), if set. */
  private static final String JFR = System.getProperty("bench.jfr", "");
  private static final Set<String> FINISHED = Set.of("succeeded", "partiallySucceeded", "failed");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Figures figures = new Figures();
  private Path work;
  private AdoSandbox sandbox;
  private String pat;
  private Map<String, String> gitAuth;

  @Test
  void bunkerAgainstCgit() throws Exception {
    work = Path.of(System.getProperty("e2e.work", "target/e2e")).toAbsolutePath().resolve("bench");
    Stack.deleteRecursively(work);
    Files.createDirectories(work);
    sandbox = AdoSandbox.start().serveGitWithCgit();
    try {
      pat = sandbox.pat();
      String basic = Base64.getEncoder().encodeToString((":" + pat).getBytes(StandardCharsets.UTF_8));
      gitAuth = Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "http.extraHeader",
          "GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
      Path source = source();
      System.out.println("before: " + uptime());
      System.out.println("worker JVM options: " + (WORKER_JVM.isBlank() ? "the Java worker's defaults" : WORKER_JVM));
      for (int run = 1; run <= RUNS; run++) {
        try (Azurite azurite = Azurite.start(Azurite.Options.inMemory())) {
          if (run == 1) {
            figures.add("Azurite ingest rate (MiB/s)", ingestRate(azurite));
          }
          BigBaseline big = bigBaseline(run, source);
          for (App app : App.inTurn(APPS, run)) {
            bigRepository(run, source, azurite, app, big);
          }
          for (int size : ORGANIZATIONS) {
            organizationBaseline(run, size, azurite);
            for (App app : App.inTurn(APPS, run)) {
              organization(run, size, azurite, app);
            }
          }
        }
      }
    } finally {
      System.out.printf("%n=== Bunker vs CGit: %d run(s), medians, ranges, ratios of medians; load %s ===%n%s",
          RUNS, uptime(), figures.table());
      sandbox.close();
    }
  }

  /**
   * The big repository: generated with deep history and many refs (kept beside the work directory
   * for the next invocation with the same size), or a copy of a bare repository given.
   */
  private Path source() throws IOException, InterruptedException {
    Path source = REPO.isBlank() ? work.resolveSibling("bench-source-" + COMMITS + "-" + REFS + ".git")
        : work.resolve("source.git");
    long start = System.nanoTime();
    if (Files.exists(source.resolve("packed-refs"))) {
      System.out.println("big repository: reusing " + source);
    } else if (REPO.isBlank()) {
      Stack.deleteRecursively(source);
      new SyntheticHistory(COMMITS, REFS).writeTo(source);
      CGit.run(Map.of(), "--git-dir=" + source, "repack", "-q", "-a", "-d", "-f");
    } else {
      CGit.run(Map.of(), "clone", "-q", "--mirror", "--no-local", Path.of(REPO).toAbsolutePath().toString(),
          source.toString());
      CGit.run(Map.of(), "--git-dir=" + source, "repack", "-q", "-a", "-d");
    }
    CGit.run(Map.of(), "--git-dir=" + source, "pack-refs", "--all");
    System.out.printf("big repository: %s, %d refs, %s (prepared in %.1f s)%n", REPO.isBlank()
        ? "synthetic, " + COMMITS + " commits" : REPO, CGit.refs(source).size(),
        CGit.run(Map.of(), "--git-dir=" + source, "count-objects", "-v").lines()
            .filter(line -> line.startsWith("in-pack") || line.startsWith("size-pack"))
            .collect(Collectors.joining(", ")),
        (System.nanoTime() - start) / 1e9);
    return source;
  }

  /** A sandbox repository holding the source's refs, its objects borrowed through alternates. */
  private HostedRepository host(Organization organization, Path source) throws IOException {
    HostedRepository repository = organization.project("big").repository("history");
    Path directory = repository.directory();
    Files.writeString(directory.resolve("objects/info/alternates"), source.resolve("objects") + "\n");
    Files.copy(source.resolve("packed-refs"), directory.resolve("packed-refs"));
    Files.writeString(directory.resolve("HEAD"), Files.readString(source.resolve("HEAD")));
    return repository;
  }

  /** What CGit does with the big repository: clone it, bundle it, check it, push the refs a restore pushes. */
  private record BigBaseline(Path mirror, Map<String, String> restorable) {}

  private BigBaseline bigBaseline(int run, Path source) throws Exception {
    Organization organization = sandbox.organization("cgit" + run);
    HostedRepository repository = host(organization, source);
    Path runDir = Files.createDirectories(work.resolve("run" + run));
    Path mirror = runDir.resolve("mirror.git");
    figures.add("big: git clone --mirror", time(() -> CGit.run(gitAuth, "clone", "--quiet", "--mirror",
        repository.remoteUrl().toString(), mirror.toString())));
    figures.add("big: git bundle create --all", time(() -> CGit.run(Map.of(), "--git-dir=" + mirror, "bundle",
        "create", "--quiet", runDir.resolve("cgit.bundle").toString(), "--all")));
    // what a first snapshot's verification does: read every object back and hash it
    figures.add("big: git fsck of the mirror", time(() -> CGit.run(Map.of(), "--git-dir=" + mirror, "fsck",
        "--no-dangling", "--no-progress")));
    // what a restore pushes: every ref but pull request refs, which Azure DevOps keeps to itself
    Map<String, String> restorable = new TreeMap<>(CGit.refs(mirror));
    restorable.keySet().removeIf(ref -> ref.startsWith("refs/pull/"));
    List<String> push = new ArrayList<>(List.of("--git-dir=" + mirror, "push", "--quiet",
        organization.project("big").repository("pushed").remoteUrl().toString()));
    restorable.keySet().forEach(ref -> push.add(ref + ":" + ref));
    figures.add("big: git push (the refs a restore pushes)",
        time(() -> CGit.run(gitAuth, push.toArray(String[]::new))));
    return new BigBaseline(mirror, restorable);
  }

  private void bigRepository(int run, Path source, Azurite azurite, App app, BigBaseline baseline) throws Exception {
    Organization organization = sandbox.organization("big" + run + "-" + app.label());
    HostedRepository repository = host(organization, source);
    Path runDir = Files.createDirectories(work.resolve("run" + run + "-" + app.label()));
    String jvm = BIG_HEAP + flightRecording(run, app.label() + ".jfr");
    try (DevHostProcess devhost = devhost(azurite, runDir.resolve("app"), jvm, app)) {
      Api api = new Api(devhost::uri);
      String id = api.registerWithPat(organization.url().toString(), pat, policy()).get("id").asText();
      Instant requested = Instant.now();
      JsonNode finished = awaitRun(api, id, api.startBackup(id).get("id").asText());
      double backup = secondsUntilFinished(requested, finished);
      JsonNode result = Sources.resultOf(finished, repository);
      check(finished, 1);
      String figure = app.name("big: backup, API call to run finished (-Xmx256m)");
      figures.add(figure, backup);
      figures.compare(figure, "big: git clone --mirror");
      long stored = storedBytes(azurite, "orgs/" + id + "/");
      figures.add(app.name("big: bytes stored (MiB)"), stored / 1048576.0);
      figures.note(figure, String.format("Azurite floor %.2f s (%.1f MiB stored)",
          stored / 1048576.0 / figures.median("Azurite ingest rate (MiB/s)"), stored / 1048576.0));
      phase(app.name("big: request to dispatched"), requested, result.path("dispatchedAt"));
      phase(app.name("big: dispatched to worker started"), result.path("dispatchedAt"), result.path("startedAt"));
      phase(app.name("big: worker (backupRepository)"), result.path("startedAt"), result.path("finishedAt"));
      System.out.printf("run %d, %s, big repository: %s; invocations: %s%n", run, app.label(), result,
          invocations(devhost.log()));

      String repositoryId = result.get("repositoryId").asText();
      String snapshotId = result.get("snapshotId").asText();
      assertSameRefs(api, id, repositoryId, snapshotId, CGit.refs(baseline.mirror()));
      awaitVerified(api, id, repositoryId);
      // the first snapshot's verification reads every object back from storage: instance time a first
      // backup costs besides its own
      LongSummaryStatistics verifying = invocations(devhost.log()).get("verifySnapshots");
      if (verifying != null) {
        figure = app.name("big: verification of the first snapshot (verifySnapshots)");
        figures.add(figure, verifying.getSum() / 1000.0);
        figures.compare(figure, "big: git fsck of the mirror");
      }

      figure = app.name("big: bundle, request to file downloaded");
      Path bundleFile = runDir.resolve("bunker.bundle");
      figures.add(figure, time(() -> downloadBundle(api, Api.snapshotPath(id, repositoryId, snapshotId) + "/bundle",
          bundleFile)));
      figures.compare(figure, "big: git bundle create --all");
      // the export is a blob storage writes (and then serves): CGit writes its bundle to local disk
      double exported = Files.size(bundleFile) / 1048576.0;
      figures.note(figure, String.format("Azurite floor %.2f s (%.1f MiB written)",
          exported / figures.median("Azurite ingest rate (MiB/s)"), exported));
      // checked after the clock stops: CGit's own bundle is not verified either
      CGit.run(Map.of(), "bundle", "verify", "--quiet", bundleFile.toString());

      figure = app.name("big: restore by push, API call to succeeded");
      figures.add(figure, time(() -> restore(api, id, repositoryId, snapshotId)));
      figures.compare(figure, "big: git push (the refs a restore pushes)");
      // the rest of the figure is the restore queue's hop, which depends on how long its listener idled
      LongSummaryStatistics restoring = invocations(devhost.log()).get("restore");
      if (restoring != null) {
        figures.add(app.name("big: restore worker (restore)"), restoring.getSum() / 1000.0);
      }
      Map<String, String> actual = CGit.lsRemote(organization.project("big").repository("restored").remoteUrl(), pat);
      if (!actual.equals(baseline.restorable())) {
        throw new AssertionError("the restored repository's refs differ from the source's: " + actual.size()
            + " vs " + baseline.restorable().size());
      }
    }
  }

  /** With {@code --jfr}, the worker option that records the last run's worker into {@code file}. */
  private static String flightRecording(int run, String file) {
    return !JFR.isBlank() && run == RUNS ? " -XX:StartFlightRecording=settings=profile,filename="
        + Path.of(JFR).toAbsolutePath().resolve(file) : "";
  }

  private void organizationBaseline(int run, int size, Azurite azurite) throws Exception {
    Organization organization = smallRepositories("cgit" + size + "-" + run, size);
    List<HostedRepository> repositories = Sources.repositories(organization);
    Path mirrors = work.resolve("run" + run + "-" + size + "-cgit");
    CpuTime before = CpuTime.of(null, azurite);
    figures.add(cgitClone(size), eachMirror(repositories, mirrors, mirror -> List.of(
        "clone", "--quiet", "--mirror", mirror.source(), mirror.directory())));
    figures.add(cgitCpu(cgitClone(size)), CpuTime.of(null, azurite).since(before).local().toNanos() / 1e6 / size);
    // what a no-change backup does, done by CGit: ask each repository for its refs, find nothing new
    before = CpuTime.of(null, azurite);
    figures.add(cgitFetch(size), eachMirror(repositories, mirrors, mirror -> List.of(
        "--git-dir=" + mirror.directory(), "fetch", "--quiet", "--prune")));
    figures.add(cgitCpu(cgitFetch(size)), CpuTime.of(null, azurite).since(before).local().toNanos() / 1e6 / size);
  }

  private static String cgitClone(int size) {
    return size + " repos: CGit clone --mirror, 8 at a time";
  }

  private static String cgitFetch(int size) {
    return size + " repos: CGit fetch of those mirrors, nothing new, 8 at a time";
  }

  private static String cgitCpu(String baseline) {
    return baseline + ", CPU ms per repository (clients and server)";
  }

  /** CPU per repository of a run, by process, and its total beside CGit's {@code baseline}'s. */
  private void cpuFigures(String figure, CpuTime used, int size, App app, String baseline) {
    figures.add(app.name(figure + ", CPU ms per repository"), used.total().toNanos() / 1e6 / size);
    figures.compare(app.name(figure + ", CPU ms per repository"), cgitCpu(baseline));
    figures.add(app.name(figure + ", of which function host"), used.host().toNanos() / 1e6 / size);
    figures.add(app.name(figure + ", of which Azurite"), used.azurite().toNanos() / 1e6 / size);
    figures.add(app.name(figure + ", of which sandbox and its CGit"), used.local().toNanos() / 1e6 / size);
  }

  /**
   * The wall time per repository this machine allows when the processes Bunker does not bring to
   * Azure — Azurite (Azure Storage there) and the sandbox with its CGit (Azure DevOps there) — need
   * that much CPU on its cores.
   */
  private static String cpuFloor(CpuTime used, int size) {
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format("CPU floor %.1f ms (Azurite and git server CPU / %d cores)",
        used.azurite().plus(used.local()).toNanos() / 1e6 / size / cores, cores);
  }

  private Organization smallRepositories(String name, int size) {
    Organization organization = sandbox.organization(name);
    for (int r = 0; r < size; r++) {
      organization.project("project-" + r / 20).repository("repo-" + r % 20).withCommits(3).withBranches(1)
          .withTag("v1");
    }
    return organization;
  }

  private void organization(int run, int size, Azurite azurite, App app) throws Exception {
    String label = size + " repos";
    String cgit = cgitClone(size);
    Organization organization = smallRepositories("org" + size + "-" + run + "-" + app.label(), size);
    Path runDir = Files.createDirectories(work.resolve("run" + run + "-" + size + "-" + app.label()));
    Path requests = runDir.resolve("storage-requests.jfr");
    Instant fullRequested;
    Instant noChangeRequested; // where a flight recording of both runs divides
    Instant noChangeFinished;
    try (DevHostProcess devhost = devhost(azurite, runDir.resolve("app"), HEAP
        + flightRecording(run, app.label() + "-" + size + "-repos.jfr") + StorageRequestLog.workerOption(requests),
        app)) {
      Api api = new Api(devhost::uri);
      String id = api.registerWithPat(organization.url().toString(), pat, policy()).get("id").asText();
      CpuTime before = CpuTime.of(devhost, azurite);
      fullRequested = Instant.now();
      JsonNode full = awaitRun(api, id, api.startBackup(id).get("id").asText());
      figures.add(app.name(label + ": full backup (-Xmx512m)"), secondsUntilFinished(fullRequested, full));
      cpuFigures(label + ": full backup", CpuTime.of(devhost, azurite).since(before), size, app, cgit);
      check(full, size);
      figures.compare(app.name(label + ": full backup (-Xmx512m)"), cgit);
      long stored = storedBytes(azurite, "orgs/" + id + "/");
      figures.note(app.name(label + ": full backup (-Xmx512m)"), String.format("Azurite floor %.2f s (%.1f MiB stored)",
          stored / 1048576.0 / figures.median("Azurite ingest rate (MiB/s)"), stored / 1048576.0));
      String logBefore = devhost.log();

      sandbox.clearRequests();
      before = CpuTime.of(devhost, azurite);
      noChangeRequested = Instant.now();
      JsonNode again = awaitRun(api, id, api.startBackup(id).get("id").asText());
      double noChange = secondsUntilFinished(noChangeRequested, again);
      noChangeFinished = Instant.now();
      CpuTime noChangeCpu = CpuTime.of(devhost, azurite).since(before);
      cpuFigures(label + ": no-change backup", noChangeCpu, size, app, cgitFetch(size));
      check(again, size);
      figures.add(app.name(label + ": no-change backup"), noChange);
      figures.compare(app.name(label + ": no-change backup"), cgitFetch(size));
      figures.add(app.name(label + ": no-change, ms of wall time per repository"), noChange * 1000 / size);
      figures.note(app.name(label + ": no-change, ms of wall time per repository"), cpuFloor(noChangeCpu, size));
      Map<String, Long> calls = calls(sandbox.requests());
      figures.add(app.name(label + ": no-change, REST calls per repository"),
          calls.getOrDefault("rest", 0L) / (double) size);
      figures.add(app.name(label + ": no-change, ref advertisements per repository"),
          calls.getOrDefault("ref advertisement", 0L) / (double) size);
      Map<String, LongSummaryStatistics> invocations = invocations(devhost.log().substring(logBefore.length()));
      LongSummaryStatistics worker = invocations.get("backupRepository");
      if (worker != null) {
        figures.add(app.name(label + ": no-change, backupRepository mean ms (fixed cost)"), worker.getAverage());
      }
      System.out.printf("run %d, %d repositories: no-change run requested at %s, invocations %s; sandbox requests %s%n",
          run, size, noChangeRequested, invocations, calls);
    }
    // written when the worker stopped
    StorageRequestLog log = StorageRequestLog.read(requests);
    if (!log.isEmpty()) {
      storageRequests(label + ": full backup", log, fullRequested, noChangeRequested, size, app);
      storageRequests(label + ": no-change backup", log, noChangeRequested, noChangeFinished, size, app);
    }
  }

  /**
   * The app's storage requests per repository during a run (its verifications still running after
   * the run finished fall into the next one's), by service, and printed by what they touched.
   */
  private void storageRequests(String figure, StorageRequestLog log, Instant from, Instant to, int size, App app) {
    Map<String, Long> byService = log.byService(from, to);
    figures.add(app.name(figure + ", storage requests per repository"),
        byService.values().stream().mapToLong(Long::longValue).sum() / (double) size);
    for (String service : List.of("table", "blob", "queue")) {
      figures.add(app.name(figure + ", of which " + service), byService.getOrDefault(service, 0L) / (double) size);
    }
    System.out.printf("%s, %s: storage requests per repository: %s%n", app.label(), figure,
        log.perRepository(from, to, size));
  }

  private DevHostProcess devhost(Azurite azurite, Path directory, String jvm, App app) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("FUNCTIONS_WORKER_RUNTIME", "java");
    settings.put("AzureWebJobsStorage", azurite.connectionString());
    settings.put("BACKUP_STORAGE", azurite.connectionString());
    settings.put("BACKUP_CONTAINER", "backups");
    settings.put("ALLOWED_ORGANIZATION_URLS", sandbox.url() + "/");
    settings.put("languageWorkers__java__arguments",
        String.join(" ", jvm, WORKER_JVM, System.getProperty("bench.jvm." + app.label(), "")).strip());
    return DevHostProcess.forApp(app.directory()).workingDirectory(directory).settings(settings).start("bench");
  }

  /** Git only: the CGit baseline fetches no metadata. */
  private static Map<String, Object> policy() {
    return Map.of("concurrency", CONCURRENCY, "includeMetadata", false);
  }

  /**
   * Polls the run once a second until it finished: each poll reads every result of the run (in a
   * 200-repository no-change run, polls every 200 ms took 0.9 s of the host's 4 s of CPU). How long
   * the run took comes from its {@code finishedAt}, not from when a poll saw it.
   */
  private static JsonNode awaitRun(Api api, String organizationId, String runId) {
    return poll(Duration.ofMinutes(30), Duration.ofSeconds(1),
        () -> Api.expect(200, api.get("/api/organizations/" + organizationId + "/backups/" + runId)),
        run -> FINISHED.contains(run.get("status").asText()));
  }

  /** From the request to the run's {@code finishedAt} (the last result recorded), same machine clock. */
  private static double secondsUntilFinished(Instant requested, JsonNode run) {
    return Duration.between(requested, Instant.parse(run.get("finishedAt").asText())).toNanos() / 1e9;
  }

  private static void check(JsonNode run, int repositories) {
    List<JsonNode> results = Sources.repositoryResults(run);
    if (!"succeeded".equals(run.get("status").asText()) || results.size() != repositories) {
      throw new AssertionError("run did not back up all " + repositories + " repositories: " + run);
    }
  }

  /** The snapshot holds exactly the source's refs (what {@code git clone --mirror} got). */
  private static void assertSameRefs(Api api, String organizationId, String repositoryId, String snapshotId,
      Map<String, String> expected) {
    Map<String, String> refs = new TreeMap<>(api.snapshotRefs(organizationId, repositoryId, snapshotId));
    if (!refs.equals(expected)) {
      throw new AssertionError("snapshot refs differ from the source's: " + refs.size() + " vs " + expected.size());
    }
  }

  /** Waits out the verification the backup queued, so that it does not run beside the next figures. */
  private static void awaitVerified(Api api, String organizationId, String repositoryId) {
    poll(Duration.ofMinutes(10), () -> api.repositories(organizationId),
        repositories -> repositories.findValues("verifiedAt").stream().anyMatch(v -> !v.isNull()));
  }

  private static void downloadBundle(Api api, String path, Path file) {
    String location = path;
    while (true) {
      Api.Response response = api.get(location);
      if (response.status() == 303) {
        try {
          HTTP.send(HttpRequest.newBuilder(URI.create(response.header("location"))).build(),
              HttpResponse.BodyHandlers.ofFile(file));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return;
      }
      if (response.status() != 202) {
        throw new AssertionError("bundle: " + response);
      }
      location = response.header("location");
      Waiting.pause(Duration.ofMillis(100));
    }
  }

  private static void restore(Api api, String organizationId, String repositoryId, String snapshotId) {
    JsonNode restore = Api.expect(202, api.post("/api/organizations/" + organizationId + "/restores", Map.of(
        "repositoryId", repositoryId, "snapshotId", snapshotId,
        "target", Map.of("project", "big", "repository", "restored", "create", true))));
    JsonNode done = poll(Duration.ofMinutes(30), () -> Api.expect(200,
        api.get("/api/organizations/" + organizationId + "/restores/" + restore.get("id").asText())),
        status -> Set.of("succeeded", "failed").contains(status.get("status").asText()));
    if (!"succeeded".equals(done.get("status").asText())) {
      throw new AssertionError("restore failed: " + done);
    }
  }

  private void phase(String figure, Instant from, JsonNode to) {
    if (!to.isMissingNode() && !to.isNull()) {
      figures.add(figure, Duration.between(from, Instant.parse(to.asText())).toMillis() / 1000.0);
    }
  }

  private void phase(String figure, JsonNode from, JsonNode to) {
    if (!from.isMissingNode() && !from.isNull()) {
      phase(figure, Instant.parse(from.asText()), to);
    }
  }

  /** A repository's URL and where CGit keeps its mirror. */
  private record Mirror(String source, String directory) {}

  /** Runs git with the arguments {@code command} gives for each repository's mirror, 8 at a time; seconds. */
  private double eachMirror(List<HostedRepository> repositories, Path directory,
      java.util.function.Function<Mirror, List<String>> command) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    long start = System.nanoTime();
    try {
      List<Future<String>> runs = repositories.stream().map(repository -> new Mirror(repository.remoteUrl().toString(),
          directory.resolve(repository.id().toString()).toString())).map(mirror -> pool.submit(
              () -> CGit.run(gitAuth, command.apply(mirror).toArray(String[]::new))))
          .toList();
      for (Future<String> run : runs) {
        run.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * MiB per second Azurite takes in 4 MiB staged blocks, 3 at once (as the store uploads): the
   * floor of anything that must upload that many bytes, which CGit writes to local disk instead.
   */
  private static double ingestRate(Azurite azurite) throws Exception {
    BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
        .buildClient().createBlobContainer("ingest-probe");
    BlockBlobClient blob = container.getBlobClient("probe").getBlockBlobClient();
    byte[] block = new byte[4 << 20];
    new Random(1).nextBytes(block);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> uploads = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 16; i++) {
        String blockId = Base64.getEncoder().encodeToString(("probe-" + (100 + i)).getBytes(StandardCharsets.US_ASCII));
        uploads.add(pool.submit(() -> blob.stageBlock(blockId, new ByteArrayInputStream(block), block.length)));
      }
      for (Future<?> upload : uploads) {
        upload.get();
      }
      return 64 / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
      container.delete();
    }
  }

  private static long storedBytes(Azurite azurite, String prefix) {
    BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
        .buildClient().getBlobContainerClient("backups");
    long total = 0;
    for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      total += item.getProperties().getContentLength();
    }
    return total;
  }

  /**
   * Requests by kind: REST, git ref advertisements ({@code GET info/refs}), upload-pack POSTs, other
   * git. The sandbox speaks the original protocol only, as Azure DevOps does (not v2, so no {@code
   * ls-refs}): a ref listing is one {@code GET info/refs}, and each upload-pack POST is a fetch.
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

  /** Per function in a stretch of devhost's log: its invocations' durations in ms. */
  private static Map<String, LongSummaryStatistics> invocations(String log) {
    Map<String, LongSummaryStatistics> byFunction = new TreeMap<>();
    Matcher executed = Pattern
        .compile("Executed 'Functions\\.(\\w+)' \\(\\w+, Id=[^,]+, Duration=(\\d+)ms\\)").matcher(log);
    while (executed.find()) {
      byFunction.computeIfAbsent(executed.group(1), f -> new LongSummaryStatistics())
          .accept(Long.parseLong(executed.group(2)));
    }
    return byFunction;
  }

  private static <T> T poll(Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
    return poll(timeout, Duration.ofMillis(200), probe, done); // often enough to time it, seldom enough not to load the host
  }

  private static <T> T poll(Duration timeout, Duration every, Supplier<T> probe,
      java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done in " + timeout + ": " + value);
      }
      Waiting.pause(every);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static double time(Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** {@code languageWorkers__java__arguments} as `local.settings.json.example` (and infra) set it. */
  private static String deployedWorkerOptions() {
    try {
      return Api.JSON.readTree(Path.of("..", "local.settings.json.example").toFile()).path("Values")
          .path("languageWorkers__java__arguments").asText("");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ../local.settings.json.example", e);
    }
  }

  private static String uptime() throws IOException, InterruptedException {
    Process uptime = new ProcessBuilder("uptime").redirectErrorStream(true).start();
    String out = new String(uptime.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    uptime.waitFor();
    return out.replaceAll(".*load", "load");
  }

  /** A packaged app under test, and how its figures are labelled when several are compared. */
  private record App(String label, Path directory, boolean labelled) {
    static List<App> parse(String apps) {
      if (apps.isBlank()) {
        return List.of(new App("bunker", Path.of(System.getProperty("bunker.app",
            "../functions/target/azure-functions/bunker")), false));
      }
      return List.of(apps.split(",")).stream().map(app -> app.split("=", 2))
          .map(parts -> new App(parts[0].trim(), Path.of(parts[1].trim()), true)).toList();
    }

    String name(String figure) {
      return labelled ? figure + " [" + label + "]" : figure;
    }

    /**
     * The apps in the order they take their turns in run {@code run}: each run starts with the next
     * one, so that no app always comes last, into an Azurite and a machine the others' runs have
     * filled and warmed.
     */
    static List<App> inTurn(List<App> apps, int run) {
      List<App> order = new ArrayList<>(apps);
      Collections.rotate(order, -((run - 1) % apps.size()));
      return order;
    }
  }
}
