package dev.bunker.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A git repository to back up, made with CGit: a working clone where history is built and a bare
 * repository (served over HTTP) that each {@link #publish()} mirrors it into.
 */
public final class SourceRepository {
  private final Path work;
  private final Path bare;
  private final String name;
  private final Random random = new Random(42);
  private int counter;

  private SourceRepository(Path root, String name) {
    this.name = name + ".git";
    this.bare = root.resolve(this.name);
    this.work = root.resolve(name + "-work");
  }

  /** An empty repository {@code <name>.git} under {@code root}. */
  public static SourceRepository create(Path root, String name) {
    SourceRepository repo = new SourceRepository(root, name);
    try {
      Files.createDirectories(repo.work);
      Files.createDirectories(repo.bare);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Git.run(repo.bare, "init", "-q", "--bare");
    Git.run(repo.work, "init", "-q");
    return repo;
  }

  /**
   * A realistic small repository: main with text and binary files, a feature branch merged back,
   * a branch left unmerged, a lightweight and an annotated tag, and {@code pullRefs} pull request
   * refs.
   */
  public static SourceRepository typical(Path root, String name, int pullRefs) {
    return create(root, name)
        .commit("main", "README.md", "# Hello\n")
        .binary("main", "assets/logo.bin", 20_000)
        .commit("main", "src/App.java", "class App {}\n")
        .branch("feature", "main")
        .commit("feature", "src/Feature.java", "class Feature {}\n")
        .commit("main", "CHANGES.md", "first\n")
        .merge("main", "feature")
        .branch("release/1.x", "main")
        .commit("release/1.x", "VERSION", "1.0\n")
        .tag("v1.0")
        .annotatedTag("v1.1", "release 1.1")
        .pullRefs(pullRefs)
        .publish();
  }

  public String name() {
    return name;
  }

  public Path bare() {
    return bare;
  }

  public SourceRepository commit(String branch, String path, String content) {
    checkout(branch);
    write(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return commitAll("change " + path);
  }

  /** A commit adding {@code size} random bytes. */
  public SourceRepository binary(String branch, String path, int size) {
    checkout(branch);
    byte[] data = new byte[size];
    random.nextBytes(data);
    write(path, data);
    return commitAll("binary " + path);
  }

  public SourceRepository branch(String branch, String from) {
    Git.run(work, "branch", "-f", branch, from);
    return this;
  }

  public SourceRepository merge(String into, String from) {
    checkout(into);
    Git.run(work, "merge", "-q", "--no-ff", "-m", "merge " + from, from);
    return this;
  }

  /** A lightweight tag of the current commit. */
  public SourceRepository tag(String tag) {
    Git.run(work, "tag", "-f", tag);
    return this;
  }

  public SourceRepository annotatedTag(String tag, String message) {
    Git.run(work, "tag", "-f", "-a", tag, "-m", message);
    return this;
  }

  /** {@code refs/pull/<n>/head} refs pointing at the current commit. */
  public SourceRepository pullRefs(int count) {
    StringBuilder commands = new StringBuilder();
    String head = Git.run(work, "rev-parse", "HEAD").trim();
    for (int i = 1; i <= count; i++) {
      commands.append("update refs/pull/").append(i).append("/head ").append(head).append('\n');
    }
    Git.runWithInput(work, commands.toString(), "update-ref", "--stdin");
    return this;
  }

  public SourceRepository deleteBranch(String branch) {
    checkout("main");
    Git.run(work, "branch", "-D", branch);
    return this;
  }

  /** Rewrites the last commit of {@code branch} (a force push once published). */
  public SourceRepository rewriteLastCommit(String branch, String path, String content) {
    checkout(branch);
    Git.run(work, "reset", "-q", "--hard", "HEAD~1");
    return commit(branch, path, content);
  }

  /** Mirrors the working clone's refs (all of them, deletions too) into the served repository. */
  public SourceRepository publish() {
    // To the path, not a remote: no remote-tracking refs that a later mirror push would copy.
    Git.run(work, "push", "-q", "--mirror", "--force", bare.toString());
    Git.run(bare, "symbolic-ref", "HEAD", "refs/heads/main");
    return this;
  }

  /** Refs of the served repository, name → object id. */
  public Map<String, String> refs() {
    return Git.refs(bare);
  }

  public String head() {
    return Git.run(bare, "rev-parse", "HEAD").trim();
  }

  private void checkout(String branch) {
    boolean exists = !Git.run(work, "branch", "--list", branch).isBlank();
    boolean unborn = Git.run(work, "branch", "--list").isBlank();
    if (unborn) {
      Git.run(work, "checkout", "-q", "-B", branch);
    } else {
      Git.run(work, "checkout", "-q", exists ? branch : "-b", exists ? "--" : branch);
    }
  }

  private void write(String path, byte[] data) {
    try {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SourceRepository commitAll(String message) {
    Git.run(work, "add", "-A");
    Git.run(work, "commit", "-q", "-m", message + " " + (++counter));
    return this;
  }
}
