package dev.bunker.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a synthetic but realistic history with {@code git fast-import}: source files edited a
 * few lines at a time (so packs delta well), occasional binary files, feature branches merged
 * back, tags, and many pull-request style refs.
 */
public final class SyntheticHistory {
  private final Random random = new Random(7);
  private final int commits;
  private final int refs;
  private final List<StringBuilder> files = new ArrayList<>();
  private int marks;

  public SyntheticHistory(int commits, int refs) {
    this.commits = commits;
    this.refs = refs;
    for (int i = 0; i < 200; i++) {
      StringBuilder file = new StringBuilder();
      for (int line = 0; line < 120; line++) {
        file.append(line(i, line)).append('\n');
      }
      files.add(file);
    }
  }

  private String line(int file, int n) {
    return "    value" + file + "_" + n + " = compute(" + random.nextInt(100000) + ", \"text "
        + Long.toHexString(random.nextLong()) + "\");";
  }

  /** Creates the bare repository {@code dir} holding the history. */
  public void writeTo(Path dir) throws IOException, InterruptedException {
    fastImport(dir, this::write);
  }

  /**
   * Creates the bare repository {@code dir} with about {@code mib} MiB of incompressible binary
   * files (128 KiB each, 64 per commit, a tag every 64 commits): a large pack of few objects.
   */
  public static void writeLarge(Path dir, int mib) throws IOException, InterruptedException {
    Random random = new Random(11);
    fastImport(dir, out -> {
      SyntheticHistory writer = new SyntheticHistory(0, 0);
      int files = mib * 8;
      int previous = 0;
      for (int c = 0; c * 64 < files; c++) {
        List<String> changes = new ArrayList<>();
        for (int f = c * 64; f < Math.min(files, (c + 1) * 64); f++) {
          byte[] data = new byte[128 * 1024];
          random.nextBytes(data);
          changes.add(writer.blob(out, data, "data/" + (f % 512) + ".bin"));
        }
        previous = writer.commit(out, "refs/heads/main", previous, 0, changes,
            1_600_000_000L + c * 600L, c);
        if (c % 64 == 63) {
          writer.tag(out, "v" + c, previous, 1_600_000_000L + c * 600L);
        }
      }
    });
  }

  private interface Stream {
    void write(OutputStream out) throws IOException;
  }

  private static void fastImport(Path dir, Stream stream)
      throws IOException, InterruptedException {
    run(dir.getParent(), "git", "init", "-q", "--bare", dir.toString());
    Process p = new ProcessBuilder("git", "fast-import", "--quiet")
        .directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
      stream.write(out);
    }
    if (p.waitFor() != 0) {
      throw new IOException("git fast-import failed");
    }
    run(dir, "git", "symbolic-ref", "HEAD", "refs/heads/main");
  }

  private void write(OutputStream out) throws IOException {
    List<Integer> mainline = new ArrayList<>();
    int previous = 0;
    long time = 1_600_000_000L;
    for (int c = 1; c <= commits; c++) {
      time += 600;
      boolean sideBranch = c % 50 == 25;
      List<String> changes = new ArrayList<>();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int f = random.nextInt(files.size());
        StringBuilder file = files.get(f);
        int at = random.nextInt(Math.max(1, file.length() - 200));
        int lineStart = file.lastIndexOf("\n", at) + 1;
        file.insert(lineStart, line(f, c) + "\n");
        changes.add(blob(out, file.toString().getBytes(StandardCharsets.UTF_8), "src/module"
            + (f % 20) + "/File" + f + ".java"));
      }
      if (c % 200 == 0) {
        byte[] binary = new byte[30_000 + random.nextInt(50_000)];
        random.nextBytes(binary);
        changes.add(blob(out, binary, "assets/image" + c + ".bin"));
      }
      // Every 50 commits one goes to a side branch and the next merges it into main.
      int mark = commit(out, sideBranch ? "refs/heads/side" : "refs/heads/main", previous,
          sideBranch ? 0 : (c % 50 == 26 ? mark(mainline, 1) : 0), changes, time, c);
      previous = mark;
      mainline.add(mark);
      if (c % 500 == 0) {
        tag(out, "v" + (c / 500) + ".0", mark, time);
      }
    }
    for (int r = 1; r <= refs; r++) {
      int target = mainline.get(random.nextInt(mainline.size()));
      String name = r % 10 == 0 ? "refs/heads/feature/f" + r
          : r % 10 == 1 ? "refs/tags/build-" + r : "refs/pull/" + r + "/head";
      write(out, "reset " + name + "\nfrom :" + target + "\n\n");
    }
  }

  private static int mark(List<Integer> marks, int back) {
    return marks.size() > back ? marks.get(marks.size() - 1 - back) : 0;
  }

  private String blob(OutputStream out, byte[] data, String path) throws IOException {
    int mark = ++marks;
    write(out, "blob\nmark :" + mark + "\ndata " + data.length + "\n");
    out.write(data);
    write(out, "\n");
    return "M 100644 :" + mark + " " + path + "\n";
  }

  private int commit(OutputStream out, String ref, int parent, int merge, List<String> changes,
      long time, int n) throws IOException {
    int mark = ++marks;
    String message = "change " + n + "\n";
    StringBuilder s = new StringBuilder()
        .append("commit ").append(ref).append('\n')
        .append("mark :").append(mark).append('\n')
        .append("committer Dev <dev@example.com> ").append(time).append(" +0000\n")
        .append("data ").append(message.length()).append('\n').append(message);
    if (parent != 0) {
      s.append("from :").append(parent).append('\n');
    }
    if (merge != 0 && merge != parent) {
      s.append("merge :").append(merge).append('\n');
    }
    changes.forEach(s::append);
    s.append('\n');
    write(out, s.toString());
    return mark;
  }

  private void tag(OutputStream out, String name, int mark, long time) throws IOException {
    String message = "release " + name + "\n";
    write(out, "tag " + name + "\nfrom :" + mark + "\ntagger Dev <dev@example.com> " + time
        + " +0000\ndata " + message.length() + "\n" + message + "\n");
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }
}
