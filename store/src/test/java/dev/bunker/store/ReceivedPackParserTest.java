package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.InMemoryBlobs;
import dev.bunker.store.testing.Git;
import dev.bunker.store.testing.OpenFiles;
import dev.bunker.testing.ManualClock;
import dev.bunker.testing.SyntheticHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser of received packs against CGit: the pack it stores is the one sent, its index is the
 * one {@code git index-pack} writes for it, on one thread or several, and a thin pack is completed
 * from the repository's objects.
 */
class ReceivedPackParserTest {
  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-12-05T00:00:00Z"));
  @TempDir
  static Path dir;
  private static Path source;
  private static ScheduledExecutorService renewals;
  private static ExecutorService uploads;

  private final Blobs blobs = new InMemoryBlobs(CLOCK);
  private final List<byte[]> smallBlobs = new ArrayList<>();
  private final List<BlobRepository> opened = new ArrayList<>();
  private boolean parsed;

  @BeforeAll
  static void history() throws Exception {
    source = dir.resolve("source.git");
    // deep delta chains and many bases: enough deltas for several threads to share
    new SyntheticHistory(400, 20).writeTo(source);
    Git.run(source, "repack", "-a", "-d", "-f", "-q");
    renewals = Executors.newSingleThreadScheduledExecutor();
    uploads = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    renewals.shutdownNow();
    uploads.shutdownNow();
  }

  @Test
  void storesThePackAsSentAndIndexesItAsGitDoesOnOneThreadOrSeveral() throws Exception {
    Path pack = packOf("all", false, "--all");
    Path index = cgitIndex(pack);
    assertThat(deltas(index)).as("deltas for several threads to share").isGreaterThan(1_000);
    byte[] cgitIndex = Files.readAllBytes(index);
    for (int threads : new int[] {1, 4}) {
      java.util.Set<String> before = localCopies();
      BlobRepository repository = repository("r" + threads);
      parse(repository, pack, threads, true);

      String name = BlobObjDatabase.packName(repository.getObjectDatabase().committedPacks().get(0));
      assertThat(stored(repository, name, "pack")).as("%d threads: the pack", threads)
          .isEqualTo(Files.readAllBytes(pack));
      assertThat(stored(repository, name, "idx")).as("%d threads: the index", threads).isEqualTo(cgitIndex);
      java.util.Set<String> kept = new java.util.HashSet<>(localCopies());
      kept.removeAll(before);
      assertThat(kept).as("the local copies of pack and index, kept while the repository is open").hasSize(2);
      repository.close();
      opened.remove(repository);
      assertThat(localCopies()).as("closed with it").doesNotContainAnyElementsOf(kept);
    }
  }

  private static java.util.Set<String> localCopies() throws IOException {
    return OpenFiles.containing("bunker-received-");
  }

  @Test
  void handsOverEveryBlobUnderTheSizeWhetherSentWholeOrAsADelta() throws Exception {
    Path pack = packOf("all", false, "--all");
    parse(repository("r"), pack, 4, true);

    List<String> expected = new ArrayList<>();
    for (String line : Git.runWithInput(source, Git.run(source, "rev-list", "--objects", "--all")
        .lines().map(l -> l.split(" ")[0]).reduce("", (a, b) -> a + b + "\n"),
        "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)").split("\n")) {
      String[] fields = line.split(" ");
      if (fields[1].equals("blob") && Integer.parseInt(fields[2]) < 64) {
        expected.add(fields[0]);
      }
    }
    List<String> handed = smallBlobs.stream().map(ReceivedPackParserTest::blobId).distinct().toList();
    assertThat(handed).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(parsed).isTrue();
  }

  @Test
  void completesAThinPackWithTheBasesTheRepositoryHolds() throws Exception {
    String old = Git.run(source, "rev-parse", "HEAD~100").strip();
    String head = Git.run(source, "rev-parse", "HEAD").strip();
    BlobRepository repository = repository("thin");
    parse(repository, packOf("old", false, old), 1, true);
    Path thin = packOf("thin", true, head, "^" + old);

    parse(repository, thin, 4, true);

    try (ObjectReader reader = repository.newObjectReader()) {
      for (String line : Git.run(source, "rev-list", "--objects", head).lines().toList()) {
        ObjectId id = ObjectId.fromString(line.substring(0, 40));
        ObjectLoader object = reader.open(id);
        assertThat(name(object.getType(), object.getCachedBytes())).as(line).isEqualTo(id);
      }
    }
    String name = BlobObjDatabase.packName(repository.getObjectDatabase().committedPacks().get(1));
    assertThat(stored(repository, name, "pack").length).as("bases appended")
        .isGreaterThan((int) Files.size(thin));
  }

  @Test
  void refusesAThinPackWhereACompleteOneWasAskedForAndStoresNothing() throws Exception {
    String old = Git.run(source, "rev-parse", "HEAD~100").strip();
    BlobRepository repository = repository("thin-refused");
    parse(repository, packOf("old", false, old), 1, true);
    List<Blobs.BlobInfo> before = blobs.list("");

    assertThatThrownBy(() -> parse(repository, packOf("thin", true, "HEAD", "^" + old), 4, false))
        .isInstanceOf(CorruptObjectException.class).hasMessageContaining("thin");
    assertThat(blobs.list("")).isEqualTo(before);
  }

  @Test
  void aPackDamagedOnTheWayFailsAndStoresNothing() throws Exception {
    Path pack = packOf("all", false, "--all");
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x40;
    Path damaged = dir.resolve("damaged.pack");
    Files.write(damaged, bytes);
    BlobRepository repository = repository("damaged");

    assertThatThrownBy(() -> parse(repository, damaged, 4, true)).isInstanceOf(IOException.class);
    assertThat(storedBesidesManifests()).isEmpty();
  }

  @Test
  void aPackCutShortFailsAndStoresNothing() throws Exception {
    byte[] bytes = Files.readAllBytes(packOf("all", false, "--all"));
    Path cut = dir.resolve("cut.pack");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
    BlobRepository repository = repository("cut");

    assertThatThrownBy(() -> parse(repository, cut, 4, true)).isInstanceOf(IOException.class)
        .hasMessageContaining("ends early");
    assertThat(storedBesidesManifests()).isEmpty();
  }

  @Test
  void aDeltaThatDoesNotFitItsBaseFailsWithEveryResolverStoppedAndStoresNothing() throws Exception {
    CraftedPack pack = new CraftedPack();
    for (int b = 0; b < 20; b++) {
      byte[] base = ("base " + b).getBytes(StandardCharsets.US_ASCII);
      int at = pack.whole(Constants.OBJ_BLOB, base);
      for (int d = 0; d < 100; d++) {
        boolean misfit = b == 13 && d == 42;
        pack.delta(at, CraftedPack.insertion(misfit ? base.length + 1 : base.length, "delta " + b + "/" + d));
      }
    }
    Path file = dir.resolve("misfit.pack");
    Files.write(file, pack.bytes());

    assertThatThrownBy(() -> parse(repository("misfit"), file, 4, true)).isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("does not apply to its base");
    assertThat(storedBesidesManifests()).isEmpty();
    // the pool is terminated when parse returns; its threads may take a moment more to exit
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (resolverThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(resolverThreads()).isZero();
  }

  /**
   * Azure DevOps advertises no ofs-delta, so its packs name every base by id, and a base may come
   * after the deltas on it (GitoxideLabs/gitoxide#1025: a clone from Azure DevOps met a ref-delta
   * whose base it had not read yet): resolved and indexed as {@code git index-pack} does.
   */
  @Test
  void aPackAsAzureDevOpsSendsItWithRefDeltasBeforeTheirBasesResolvesOnOneThreadOrSeveral() throws Exception {
    CraftedPack pack = new CraftedPack();
    List<ObjectId> objects = new ArrayList<>();
    List<byte[]> bases = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      byte[] base = ("base " + b).getBytes(StandardCharsets.US_ASCII);
      bases.add(base);
      ObjectId baseId = name(Constants.OBJ_BLOB, base);
      objects.add(baseId);
      for (int d = 0; d < 60; d++) {
        // a delta on a delta, sent before the delta it builds on, which is sent before the base
        byte[] first = ("first " + b + "/" + d).getBytes(StandardCharsets.US_ASCII);
        ObjectId firstId = name(Constants.OBJ_BLOB, first);
        String second = "second " + b + "/" + d;
        pack.refDelta(firstId, CraftedPack.insertion(first.length, second));
        pack.refDelta(baseId, CraftedPack.insertion(base.length, new String(first, StandardCharsets.US_ASCII)));
        objects.add(firstId);
        objects.add(name(Constants.OBJ_BLOB, second.getBytes(StandardCharsets.US_ASCII)));
      }
    }
    bases.forEach(base -> pack.whole(Constants.OBJ_BLOB, base));
    Path file = dir.resolve("ref-deltas.pack");
    Files.write(file, pack.bytes());
    byte[] cgitIndex = Files.readAllBytes(cgitIndex(file));

    for (int threads : new int[] {1, 4}) {
      BlobRepository repository = repository("ref" + threads);
      parse(repository, file, threads, false);
      try (ObjectReader reader = repository.newObjectReader()) {
        for (ObjectId id : objects) {
          assertThat(name(Constants.OBJ_BLOB, reader.open(id).getCachedBytes())).isEqualTo(id);
        }
      }
      String name = BlobObjDatabase.packName(repository.getObjectDatabase().committedPacks().get(0));
      assertThat(stored(repository, name, "pack")).as("%d threads: the pack as sent", threads)
          .isEqualTo(Files.readAllBytes(file));
      assertThat(stored(repository, name, "idx")).as("%d threads: the index", threads).isEqualTo(cgitIndex);
      repository.close();
      opened.remove(repository);
    }
  }

  @Test
  void aChainOfThousandsOfDeltasResolvesOnOneThreadOrSeveral() throws Exception {
    // each version has two deltas: the next version (handed to another thread when one is free),
    // then a leaf; a joining thread may run what it handed over on its own stack
    CraftedPack pack = new CraftedPack();
    byte[] previous = "version 0".getBytes(StandardCharsets.US_ASCII);
    int at = pack.whole(Constants.OBJ_BLOB, previous);
    List<ObjectId> versions = new ArrayList<>(List.of(name(Constants.OBJ_BLOB, previous)));
    for (int v = 1; v <= 5_000; v++) {
      String content = "version " + v;
      int next = pack.delta(at, CraftedPack.insertion(previous.length, content));
      String leaf = "leaf of version " + (v - 1);
      pack.delta(at, CraftedPack.insertion(previous.length, leaf));
      versions.add(name(Constants.OBJ_BLOB, leaf.getBytes(StandardCharsets.US_ASCII)));
      at = next;
      previous = content.getBytes(StandardCharsets.US_ASCII);
      versions.add(name(Constants.OBJ_BLOB, previous));
    }
    Path file = dir.resolve("chain.pack");
    Files.write(file, pack.bytes());

    for (int threads : new int[] {1, 4}) {
      BlobRepository repository = repository("chain" + threads);
      parse(repository, file, threads, true);
      try (ObjectReader reader = repository.newObjectReader()) {
        for (ObjectId id : versions) {
          assertThat(name(Constants.OBJ_BLOB, reader.open(id).getCachedBytes())).isEqualTo(id);
        }
      }
      repository.close();
      opened.remove(repository);
    }
  }

  private static long resolverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("bunker-delta-resolver")).count();
  }

  /** A pack written byte for byte as git's pack format describes it (gitformat-pack). */
  private static final class CraftedPack {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private final List<Integer> offsets = new ArrayList<>();

    CraftedPack() {
      out.writeBytes(new byte[] {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0});
    }

    int whole(int type, byte[] content) {
      return add(type, content, -1);
    }

    /** An OFS_DELTA on the object {@code base} (an index this pack returned). */
    int delta(int base, byte[] delta) {
      return add(6, delta, base);
    }

    /** A REF_DELTA on the object named {@code base}, wherever it is (later in this pack, or not in it). */
    int refDelta(ObjectId base, byte[] delta) {
      return add(7, delta, base);
    }

    /** Delta instructions making {@code content} out of a base of {@code baseSize} bytes, copying none. */
    static byte[] insertion(int baseSize, String content) {
      byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
      var delta = new java.io.ByteArrayOutputStream();
      sizeVarint(delta, baseSize);
      sizeVarint(delta, bytes.length);
      delta.write(bytes.length);
      delta.writeBytes(bytes);
      return delta.toByteArray();
    }

    private static void sizeVarint(java.io.ByteArrayOutputStream to, long value) {
      while (value >= 0x80) {
        to.write((int) (value & 0x7f) | 0x80);
        value >>>= 7;
      }
      to.write((int) value);
    }

    private int add(int type, byte[] data, Object base) {
      int offset = out.size();
      long size = data.length;
      int first = (type << 4) | (int) (size & 15);
      size >>>= 4;
      while (size > 0) {
        out.write(first | 0x80);
        first = (int) (size & 0x7f);
        size >>>= 7;
      }
      out.write(first);
      if (base instanceof ObjectId id) {
        byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
        id.copyRawTo(raw, 0);
        out.writeBytes(raw);
      } else if ((int) base >= 0) {
        long distance = offset - offsets.get((int) base);
        byte[] encoded = new byte[10];
        int n = encoded.length - 1;
        encoded[n] = (byte) (distance & 0x7f);
        while ((distance >>>= 7) > 0) {
          distance--;
          encoded[--n] = (byte) (0x80 | (distance & 0x7f));
        }
        out.write(encoded, n, encoded.length - n);
      }
      java.util.zip.Deflater deflater = new java.util.zip.Deflater();
      deflater.setInput(data);
      deflater.finish();
      byte[] chunk = new byte[4096];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      deflater.end();
      offsets.add(offset);
      return offsets.size() - 1;
    }

    byte[] bytes() {
      byte[] pack = out.toByteArray();
      int count = offsets.size();
      pack[8] = (byte) (count >>> 24);
      pack[9] = (byte) (count >>> 16);
      pack[10] = (byte) (count >>> 8);
      pack[11] = (byte) count;
      MessageDigest digest = Constants.newMessageDigest();
      digest.update(pack);
      var whole = new java.io.ByteArrayOutputStream();
      whole.writeBytes(pack);
      whole.writeBytes(digest.digest());
      return whole.toByteArray();
    }
  }

  private BlobRepository repository(String key) {
    StoreContext context = new StoreContext("test", blobs, CLOCK, GitStore.Options.defaults(), renewals,
        uploads, new FetchedLfsPointers());
    BlobRepository repository = BlobRepository.open(context, key, null);
    opened.add(repository);
    try {
      // as a backup holds it when the pack comes (its manifest created empty): packs are written under it
      repository.getObjectDatabase().takeLease();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return repository;
  }

  /** What storage holds besides the repositories' (empty) manifests. */
  private List<String> storedBesidesManifests() throws IOException {
    return blobs.list("").stream().map(Blobs.BlobInfo::name).filter(name -> !name.endsWith("/manifest.json")).toList();
  }

  @AfterEach
  void close() {
    opened.forEach(BlobRepository::close);
  }

  private void parse(BlobRepository repository, Path pack, int threads, boolean allowThin) throws IOException {
    ReceivedPackParser parser = new ReceivedPackParser(repository.getObjectDatabase(),
        new ByteArrayInputStream(Files.readAllBytes(pack)), threads, 0, 64, new ReceivedPackParser.SmallBlobs() {
          @Override
          public void blob(byte[] content) {
            synchronized (smallBlobs) {
              smallBlobs.add(content);
            }
          }

          @Override
          public void packParsed() {
            parsed = true;
          }
        });
    parser.setAllowThin(allowThin);
    parser.parse(NullProgressMonitor.INSTANCE);
  }

  private byte[] stored(BlobRepository repository, String pack, String extension) throws IOException {
    return blobs.read(repository.getObjectDatabase().blobName(pack, extension)).orElseThrow().data();
  }

  /** A pack of {@code revisions} ("--all", or revisions to read) as {@code git pack-objects} sends it to a fetch. */
  private static Path packOf(String label, boolean thin, String... revisions) throws IOException, InterruptedException {
    Path pack = dir.resolve(label + "-" + System.nanoTime() + ".pack");
    // without bitmaps: a traversal by bitmap finds no thin bases
    List<String> command = new ArrayList<>(List.of("git", "-c", "pack.useBitmaps=false", "pack-objects", "--stdout",
        "--delta-base-offset", "-q",
        "--revs"));
    if (thin) {
      command.add("--thin");
    }
    boolean all = List.of(revisions).equals(List.of("--all"));
    if (all) {
      command.add("--all");
    }
    Process git = new ProcessBuilder(command).directory(source.toFile()).redirectOutput(pack.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (var in = git.getOutputStream()) {
      if (!all) {
        in.write((String.join("\n", revisions) + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    assertThat(git.waitFor()).isZero();
    return pack;
  }

  /** The index {@code git index-pack} writes for {@code pack}. */
  private static Path cgitIndex(Path pack) throws IOException {
    Path copy = dir.resolve("cgit-" + System.nanoTime() + ".pack");
    Files.copy(pack, copy);
    Git.run(dir, "index-pack", copy.toString());
    return dir.resolve(copy.getFileName().toString().replace(".pack", ".idx"));
  }

  /** How many of {@code pack}'s objects are deltas, as {@code git verify-pack} counts them. */
  private static long deltas(Path index) {
    return Git.run(dir, "verify-pack", "-v", index.toString()).lines()
        .filter(l -> l.matches("^[0-9a-f]{40} \\w+ +\\d+ \\d+ \\d+ \\d+ [0-9a-f]{40}$")).count();
  }

  private static String blobId(byte[] content) {
    return name(Constants.OBJ_BLOB, content).name();
  }

  private static ObjectId name(int type, byte[] content) {
    MessageDigest digest = Constants.newMessageDigest();
    digest.update((Constants.typeString(type) + " " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    digest.update(content);
    return ObjectId.fromRaw(digest.digest());
  }
}
