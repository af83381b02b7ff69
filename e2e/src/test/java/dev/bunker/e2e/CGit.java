package dev.bunker.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The git command line (CGit), as a user checks a backup with it. */
final class CGit {
  private CGit() {}

  /** {@code git clone --mirror} of a bundle file into {@code directory}. */
  static void cloneMirror(Path bundle, Path directory) {
    run(Map.of(), "clone", "--quiet", "--mirror", bundle.toString(), directory.toString());
  }

  /** Every ref under {@code refs/} of a local repository (tags not peeled), by name. */
  static Map<String, String> refs(Path repository) {
    Map<String, String> refs = new TreeMap<>();
    String out = run(Map.of(), "--git-dir=" + repository, "for-each-ref", "--format=%(objectname) %(refname)");
    out.lines().filter(line -> !line.isBlank()).forEach(line -> {
      String[] parts = line.split(" ", 2);
      refs.put(parts[1], parts[0]);
    });
    return refs;
  }

  /** {@code git fsck --full --strict}: fails the test on any problem. */
  static void fsck(Path repository) {
    run(Map.of(), "--git-dir=" + repository, "fsck", "--full", "--strict", "--no-progress");
  }

  /**
   * {@code git ls-remote} of a smart-HTTP remote with a PAT, sent as a header through git's
   * environment config (never in the URL or on the command line); refs under {@code refs/} only, tags not peeled.
   */
  static Map<String, String> lsRemote(URI remote, String pat) {
    String basic = Base64.getEncoder().encodeToString((":" + pat).getBytes(StandardCharsets.UTF_8));
    String out = run(Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "http.extraHeader",
        "GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic), "ls-remote", remote.toString());
    Map<String, String> refs = new TreeMap<>();
    out.lines().filter(line -> !line.isBlank()).forEach(line -> {
      String[] parts = line.split("\t", 2);
      if (parts[1].startsWith("refs/") && !parts[1].endsWith("^{}")) {
        refs.put(parts[1], parts[0]);
      }
    });
    return refs;
  }

  static String run(Map<String, String> environment, String... arguments) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("git " + String.join(" ", arguments) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
