package dev.bunker.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs CGit, the reference every stored repository must satisfy. */
public final class Git {
  private Git() {}

  public static String run(Path dir, String... args) {
    return runWithInput(dir, null, args);
  }

  /** Runs git in {@code dir} with {@code input} on stdin; fails the test on a non-zero exit. */
  public static String runWithInput(Path dir, String input, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test",
        "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main",
        "-c", "protocol.file.allow=always", "-c", "gc.auto=0"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z");
    env.put("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", dir.toString());
    try {
      Process p = pb.start();
      if (input != null) {
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      var err = new java.io.ByteArrayOutputStream();
      Thread errPump = new Thread(() -> {
        try {
          p.getErrorStream().transferTo(err);
        } catch (IOException ignored) {
          // process gone
        }
      });
      errPump.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      errPump.join();
      if (code != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " failed (" + code + "): "
            + err.toString(StandardCharsets.UTF_8));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code git for-each-ref} of a repository as name → object id. */
  public static Map<String, String> refs(Path gitDir) {
    Map<String, String> refs = new TreeMap<>();
    for (String line : run(gitDir, "for-each-ref", "--format=%(refname) %(objectname)")
        .split("\n")) {
      if (!line.isBlank()) {
        String[] parts = line.split(" ");
        refs.put(parts[0], parts[1]);
      }
    }
    return refs;
  }

  /** Fails when {@code git fsck --full --strict} finds anything wrong. */
  public static void fsck(Path gitDir) {
    run(gitDir, "fsck", "--full", "--strict", "--no-dangling");
  }
}
