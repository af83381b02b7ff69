package dev.bunker.store.bench;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bunker.azurite.Azurite;
import dev.bunker.store.BackupRepository;
import dev.bunker.store.BundleReport;
import dev.bunker.store.GitSource;
import dev.bunker.store.GitStore;
import dev.bunker.store.GitTarget;
import dev.bunker.store.MaintenanceOptions;
import dev.bunker.store.MaintenanceReport;
import dev.bunker.store.PushResult;
import dev.bunker.store.Snapshot;
import dev.bunker.store.SnapshotId;
import dev.bunker.store.Verification;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.testing.Git;
import dev.bunker.store.testing.GitHttpServer;
import dev.bunker.testing.SyntheticHistory;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Backs a repository up from a local smart-HTTP server (CGit's git-http-backend) into Azurite
 * and compares with {@code git clone --mirror} of the same repository from the same server, in
 * the same run. Prints times, the ratio, bytes stored and uploaded, and peak heap; a restore by push
 * of the first snapshot beside {@code git push --mirror}, before and after maintenance.
 *
 * <pre>
 * mvn -B -q -pl store -am -Pbench test -DskipTests -Dbench.args="--synthetic 5000 2000"
 * mvn -B -q -pl store -am -Pbench test -DskipTests -Dbench.args="--repo /path/to/bare.git"
 * </pre>
 * Options: {@code --synthetic COMMITS REFS} (default 3000 1000), {@code --large MIB} (random
 * binary files: a large pack of few objects) or {@code --repo BARE_DIR},
 * {@code --snapshots N} small-change snapshots (default 10), {@code --bundles N} to only write the
 * first snapshot's bundle N times beside {@code git bundle create --all}, {@code --no-aggressive} to compare
 * with the source's existing packs instead of running {@code git gc --aggressive},
 * {@code --memory-baseline} to also time the backup into process memory (JGit's share; keeps
 * the whole pack in the heap several times over, so give it a large {@code -Dbench.heap}).
 */
public final class StoreBenchmark {
  private final Path work;
  private final GitHttpServer server;
  private final Path source;
  private int changes;

  private StoreBenchmark(Path work, Path source) {
    this.work = work;
    this.source = source;
    this.server = GitHttpServer.serving(work);
  }

  public static void main(String[] args) {
    int code = 1;
    try {
      benchmark(args);
      code = 0;
    } catch (Exception | Error e) {
      e.printStackTrace();
    }
    System.exit(code); // the HTTP server's threads would keep the JVM alive
  }

  private static void benchmark(String[] args) throws Exception {
    int commits = 3000;
    int refs = 1000;
    int snapshots = 10;
    Path repo = null;
    int large = 0;
    boolean aggressive = true;
    boolean memoryBaseline = false;
    int bundles = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--synthetic" -> {
          commits = Integer.parseInt(args[++i]);
          refs = Integer.parseInt(args[++i]);
        }
        case "--repo" -> repo = Path.of(args[++i]);
        case "--large" -> large = Integer.parseInt(args[++i]);
        case "--snapshots" -> snapshots = Integer.parseInt(args[++i]);
        case "--no-aggressive" -> aggressive = false;
        case "--memory-baseline" -> memoryBaseline = true;
        case "--bundles" -> bundles = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("store-bench");
    Path source = work.resolve("source.git");
    long t0 = System.nanoTime();
    if (large > 0) {
      SyntheticHistory.writeLarge(source, large);
      System.out.printf("source: synthetic, %d MiB of random binary files (generated in %.1f s)%n",
          large, seconds(t0));
    } else if (repo == null) {
      new SyntheticHistory(commits, refs).writeTo(source);
      Git.run(source, "repack", "-q", "-a", "-d", "-f"); // as a server would have it packed
      System.out.printf("source: synthetic, %d commits, %d extra refs (generated in %.1f s)%n",
          commits, refs, seconds(t0));
    } else {
      borrow(repo, source);
      System.out.printf("source: %s (objects borrowed through alternates)%n", repo);
    }
    System.out.printf("source: %s refs, %s%n", Git.run(source, "for-each-ref").lines().count(),
        Git.run(source, "count-objects", "-vH").lines()
            .filter(l -> l.startsWith("in-pack") || l.startsWith("size-pack"))
            .reduce((a, b) -> a + ", " + b).orElse(""));
    System.out.printf("JVM max heap %d MiB, SHA-1 %s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("org.eclipse.jgit.util.sha1.implementation", "(store default)"));
    try {
      new StoreBenchmark(work, source).run(snapshots, aggressive, memoryBaseline, bundles);
    } finally {
      deleteTree(work);
    }
  }

  /** A new bare repository with the refs of {@code repo}, reading its objects in place. */
  private static void borrow(Path repo, Path source) throws IOException {
    Git.run(repo.getParent(), "init", "-q", "--bare", source.toString());
    Files.writeString(source.resolve("objects/info/alternates"),
        repo.resolve("objects").toAbsolutePath() + "\n");
    Files.writeString(source.resolve("packed-refs"),
        Git.run(repo, "for-each-ref", "--format=%(objectname) %(refname)"));
    Files.writeString(source.resolve("HEAD"), Files.readString(repo.resolve("HEAD")));
  }

  private void run(int snapshots, boolean aggressive, boolean memoryBaseline, int bundles) throws Exception {
    BlobContainerClient container = new BlobServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).buildClient()
        .createBlobContainer("bench-" + UUID.randomUUID());
    CountingBlobs blobs = new CountingBlobs(new AzureBlobs(container));
    Clock clock = Clock.systemUTC();
    GitStore store = GitStore.on(blobs, clock, GitStore.Options.defaults());
    BackupRepository repository = store.repository("orgs/bench/repos/source");
    GitSource from = GitSource.anonymous(server.url("source.git"));

    double clone = timeClone();
    System.out.printf("%ngit clone --mirror (CGit, same server): %.2f s%n", clone);
    long start = System.nanoTime();
    store.repository("orgs/bench/repos/warmup").backup(id(clock, "warmup"), from);
    System.out.printf("first backup, cold JVM (warm-up, other key): %.2f s%n", seconds(start));

    if (memoryBaseline) {
      memoryBaseline(clock, from);
    }
    resetPeakHeap();
    blobs.reset();
    start = System.nanoTime();
    Snapshot first = repository.backup(id(clock, "first"), from);
    double backup = seconds(start);
    long peak = peakHeap();
    long stored = storedBytes(blobs, repository.key());
    System.out.printf("first backup into Azurite, warm JVM:     %.2f s  (ratio to clone %.2f)%n",
        backup, backup / clone);
    double ingest = ingestRate(new AzureBlobs(container));
    System.out.printf("  Azurite takes %.0f MiB/s of staged blocks here (4 MiB, 3 at once): the pack"
        + " alone needs %.2f s to upload%n", ingest, first.bytesAdded() / 1048576.0 / ingest);
    System.out.printf("  %d refs, %d objects, %s pack, %s stored in total, %d requests,"
        + " peak heap %d MiB%n", first.refCount(), first.objectsAdded(),
        mib(first.bytesAdded()), mib(stored), blobs.requests.get(), peak >> 20);
    if (bundles > 0) {
      bundles(repository, first.id(), blobs, bundles);
      return;
    }
    double clone2 = timeClone();
    System.out.printf("git clone --mirror again:                %.2f s%n", clone2);
    restoreByPush(repository, first.id(), blobs, "of the first snapshot, its pack as received");

    blobs.reset();
    start = System.nanoTime();
    Snapshot same = repository.backup(id(clock, "nochange"), from);
    SnapshotId newest = same.id(); // the source's refs as they are now
    System.out.printf("%nno-change backup:   %.2f s, %d objects added, %s uploaded in total"
        + " (snapshot refs and manifest), %d requests%n", seconds(start), same.objectsAdded(),
        bytes(blobs.uploaded.get()), blobs.requests.get());

    long smallUploaded = 0;
    double smallSeconds = 0;
    for (int i = 0; i < snapshots; i++) {
      smallChange();
      blobs.reset();
      start = System.nanoTime();
      Snapshot s = repository.backup(id(clock, "small" + i), from);
      smallSeconds += seconds(start);
      newest = s.id();
      smallUploaded += blobs.uploaded.get();
      if (i == 0) {
        System.out.printf("small change (1 commit, 1 new 1 KiB file): %.2f s, %d objects,"
            + " %s pack, %s uploaded in total%n", seconds(start), s.objectsAdded(),
            bytes(s.bytesAdded()), bytes(blobs.uploaded.get()));
      }
    }
    System.out.printf("%d small-change backups: %.2f s each on average, %s uploaded each%n",
        snapshots, smallSeconds / snapshots, bytes(smallUploaded / Math.max(1, snapshots)));

    long afterSnapshots = storedBytes(blobs, repository.key());
    long gcAggressive = aggressive ? aggressivePackBytes() : existingPackBytes();
    System.out.printf("%nstorage after %d snapshots: %s; %s of the same history: %s (ratio %.2f)%n",
        snapshots + 2, mib(afterSnapshots),
        aggressive ? "git gc --aggressive pack" : "source's packs", mib(gcAggressive),
        (double) afterSnapshots / gcAggressive);
    resetPeakHeap();
    long packsBefore = packFileBytes(blobs, repository.key());
    blobs.reset();
    start = System.nanoTime();
    MaintenanceReport report = repository.maintain(MaintenanceOptions.defaults()
        .withGracePeriod(Duration.ZERO));
    System.out.printf("maintenance (GC, bitmaps, no grace): %.2f s, packs %d -> %d, live %s ->"
        + " %s (ratio to gc --aggressive %.2f), peak heap %d MiB%n", seconds(start),
        report.packsBefore(), report.packsAfter(), mib(report.bytesBefore()),
        mib(report.bytesAfter()), (double) report.bytesAfter() / gcAggressive,
        peakHeap() >> 20);
    System.out.printf("  read %s from storage in %d requests: %.2f x the %s of .pack files%n",
        mib(blobs.downloaded.get()), blobs.requests.get(),
        (double) blobs.downloaded.get() / packsBefore, mib(packsBefore));

    restoreByPush(repository, newest, blobs, "of the newest snapshot after maintenance (GC pack, bitmaps)");

    if (aggressive) {
      resetPeakHeap();
      start = System.nanoTime();
      report = repository.maintain(MaintenanceOptions.defaults().withGracePeriod(Duration.ZERO)
          .withAggressive(true));
      System.out.printf("aggressive maintenance: %.2f s, live %s (ratio to gc --aggressive %.2f),"
          + " peak heap %d MiB%n", seconds(start), mib(report.bytesAfter()),
          (double) report.bytesAfter() / gcAggressive, peakHeap() >> 20);
    }

    resetPeakHeap();
    long packs = packFileBytes(blobs, repository.key());
    blobs.reset();
    start = System.nanoTime();
    CountingOutput bundle = new CountingOutput();
    repository.writeBundle(first.id(), bundle);
    System.out.printf("%nbundle of the first snapshot: %.2f s, %s, %s read (%.2f x the %s of"
        + " .pack files), %d requests, peak heap %d MiB%n", seconds(start), mib(bundle.count),
        mib(blobs.downloaded.get()), (double) blobs.downloaded.get() / packs, mib(packs),
        blobs.requests.get(), peakHeap() >> 20);

    resetPeakHeap();
    blobs.reset();
    start = System.nanoTime();
    Verification verified = repository.verify(first.id(), Optional.empty());
    double verifySeconds = seconds(start);
    System.out.printf("verification of the first snapshot: %.2f s, %d objects (%.0f objects/s), %s"
        + " re-hashed, %s read in %d requests, %s, peak heap %d MiB%n", verifySeconds,
        verified.objects(), verified.objects() / verifySeconds, mib(verified.bytes()),
        mib(blobs.downloaded.get()), blobs.requests.get(),
        verified.intact() ? "intact" : verified.problem().orElseThrow(), peakHeap() >> 20);
    store.close();
    server.close();
  }

  /**
   * A restore by push of snapshot {@code id}, which holds the source's refs as they are now, into an
   * empty repository, beside {@code git push --mirror} of the source into another, both to CGit's
   * {@code git-http-backend}.
   */
  private void restoreByPush(BackupRepository repository, SnapshotId id, CountingBlobs blobs, String what)
      throws Exception {
    Path targets = Files.createDirectories(work.resolve("targets"));
    Map<String, String> auth = Map.of("Authorization", "Bearer bench");
    try (GitHttpServer receiving = GitHttpServer.serving(targets).requireToken("bench")) {
      String cgitTarget = "cgit-" + UUID.randomUUID() + ".git";
      String bunkerTarget = "bunker-" + UUID.randomUUID() + ".git";
      Git.run(targets, "init", "-q", "--bare", cgitTarget);
      Git.run(targets, "init", "-q", "--bare", bunkerTarget);
      long start = System.nanoTime();
      Git.run(source, "-c", "http.extraHeader=Authorization: Bearer bench", "push", "-q", "--mirror",
          receiving.url(cgitTarget).toString());
      double cgit = seconds(start);
      blobs.reset();
      start = System.nanoTime();
      PushResult pushed = repository.push(id, GitTarget.of(receiving.url(bunkerTarget), () -> auth));
      double bunker = seconds(start);
      if (!pushed.succeeded()) {
        throw new IllegalStateException("the restore was refused: " + pushed.rejected());
      }
      System.out.printf("restore by push %s: %.2f s (git push --mirror %.2f s, ratio %.2f), %s read in %d"
          + " requests%n", what, bunker, cgit, bunker / cgit, mib(blobs.downloaded.get()), blobs.requests.get());
      deleteTree(targets.resolve(cgitTarget));
      deleteTree(targets.resolve(bunkerTarget));
    }
  }

  /** The first snapshot's bundle, {@code times} over, each beside CGit bundling the source. */
  private void bundles(BackupRepository repository, SnapshotId id, CountingBlobs blobs, int times)
      throws Exception {
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      Git.run(source, "bundle", "create", "--quiet", work.resolve("cgit.bundle").toString(), "--all");
      double cgit = seconds(start);
      blobs.reset();
      CountingOutput bundle = new CountingOutput();
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      start = System.nanoTime();
      BundleReport report = repository.writeBundle(id, bundle);
      double bunker = seconds(start);
      cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
      System.out.printf("bundle %d: %.2f s, %.2f s CPU (git bundle create --all %.2f s, ratio %.2f), %s, %s read in"
          + " %d requests; %s%n", i + 1, bunker, cpu / 1e9, cgit, bunker / cgit, mib(bundle.count),
          mib(blobs.downloaded.get()), blobs.requests.get(), report);
    }
  }

  /**
   * MiB per second that storage takes in 4 MiB staged blocks, 3 at once (as the store uploads):
   * a floor for backing up a large pack, which CGit writes to local disk instead.
   */
  private static double ingestRate(Blobs blobs) throws Exception {
    byte[] block = new byte[4 << 20];
    new Random(1).nextBytes(block);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> uploads = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 16; i++) {
        String id = Base64.getEncoder().encodeToString(("probe-" + (100 + i)).getBytes(
            StandardCharsets.US_ASCII));
        uploads.add(pool.submit(() -> {
          blobs.stageBlock("ingest-probe", id, block, block.length);
          return null;
        }));
      }
      for (Future<?> upload : uploads) {
        upload.get();
      }
      return 64 / seconds(start);
    } finally {
      pool.shutdown();
    }
  }

  /** The same backup into process memory: JGit's share of the time, without storage. */
  private static void memoryBaseline(Clock clock, GitSource from) {
    try (GitStore memory = GitStore.inMemory(clock)) {
      long start = System.nanoTime();
      memory.repository("orgs/bench/repos/memory").backup(id(clock, "memory"), from);
      System.out.printf("same backup into process memory (JGit's share, no storage): %.2f s%n",
          seconds(start));
    }
  }

  private double timeClone() throws IOException {
    Path target = work.resolve("clone-" + UUID.randomUUID());
    long start = System.nanoTime();
    Git.run(work, "clone", "-q", "--mirror", server.url("source.git").toString(),
        target.toString());
    double s = seconds(start);
    deleteTree(target);
    return s;
  }

  private void smallChange() {
    changes++;
    String blob = Git.runWithInput(source, "small change " + changes + "\n".repeat(1000),
        "hash-object", "-w", "--stdin").trim();
    String tree = Git.runWithInput(source, "100644 blob " + blob + "\tbench-" + changes
        + ".txt\n" + Git.run(source, "ls-tree", "HEAD"), "mktree").trim();
    String commit = Git.run(source, "commit-tree", tree, "-p", "HEAD", "-m",
        "small change " + changes).trim();
    String head = Git.run(source, "symbolic-ref", "HEAD").trim();
    Git.run(source, "update-ref", head, commit);
  }

  private long aggressivePackBytes() throws IOException {
    Path copy = work.resolve("aggressive.git");
    Git.run(work, "clone", "-q", "--mirror", "--no-local", source.toString(), copy.toString());
    long start = System.nanoTime();
    Git.run(copy, "gc", "-q", "--aggressive", "--prune=now");
    System.out.printf("(git gc --aggressive took %.1f s)%n", seconds(start));
    return directoryBytes(copy.resolve("objects/pack"));
  }

  private long existingPackBytes() throws IOException {
    return packBytes(source.resolve("objects"));
  }

  /** Pack bytes of an object directory and of those it borrows from (alternates). */
  private static long packBytes(Path objects) throws IOException {
    long total = directoryBytes(objects.resolve("pack"));
    Path alternates = objects.resolve("info/alternates");
    if (Files.exists(alternates)) {
      for (String line : Files.readAllLines(alternates)) {
        if (!line.isBlank()) {
          total += packBytes(Path.of(line.trim()));
        }
      }
    }
    return total;
  }

  private static long directoryBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".pack") || f.toString().endsWith(".idx"))
          .mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static long storedBytes(Blobs blobs, String key) throws IOException {
    return blobs.list(key + "/").stream().mapToLong(Blobs.BlobInfo::size).sum();
  }

  /** Bytes of the live .pack files (those manifest.json lists; retired ones not counted). */
  private static long packFileBytes(Blobs blobs, String key) throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(
        blobs.read(key + "/manifest.json").orElseThrow().data());
    long total = 0;
    for (JsonNode pack : manifest.path("packs")) {
      total += pack.path("files").path("pack").asLong();
    }
    return total;
  }

  private static SnapshotId id(Clock clock, String run) {
    Instant now = clock.instant();
    return SnapshotId.of(now, run.replaceAll("[^A-Za-z0-9]", "") + UUID.randomUUID()
        .toString().substring(0, 4));
  }

  private static void resetPeakHeap() {
    System.gc();
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    return heapPools().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private static Stream<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static String bytes(long bytes) {
    return bytes < 10_000 ? bytes + " B" : String.format("%.1f KiB", bytes / 1024.0);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Discards a stream, counting its bytes. */
  private static final class CountingOutput extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
