package dev.bunker.devhost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the console's browser scripts ({@code devhost/src/test/browser/*.mjs}): Node with
 * {@code playwright-core} driving Debian's headless Chromium, and {@code axe-core} checking
 * accessibility. Installs what is missing first: Chromium through
 * {@code scripts/install-chromium.sh}, the two npm packages into the project's {@code .tools} folder. Screenshots of every step land in
 * {@code devhost/target/browser/<script>/}.
 */
final class BrowserScripts {
  static final String PLAYWRIGHT_CORE_VERSION = "1.65.1";
  static final String AXE_CORE_VERSION = "4.14.1";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static boolean installed;

  private BrowserScripts() {}

  /** Runs {@code script} with {@code env} added; fails the test with the script's output if it fails. */
  static void run(String script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
    Path playwright = install();
    Path root = projectRoot();
    Path output = root.resolve("devhost/target/browser");
    Files.createDirectories(output);
    Path log = output.resolve(script.replace(".mjs", "") + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", root.resolve("devhost/src/test/browser").resolve(script).toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("BROWSER_TOOLS_DIR", playwright.toString());
    builder.environment().put("CHROMIUM", CHROMIUM.toString());
    builder.environment().put("SCREENSHOT_DIR", output.toString());
    Process node = builder.start();
    boolean finished = node.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished || node.exitValue() != 0) {
      throw new AssertionError("Browser script " + script + (finished ? " failed" : " timed out after " + timeout)
          + "; screenshots in " + output + "\n" + printed);
    }
    System.out.print(printed);
  }

  /** Chromium and the npm packages, installed once per JVM (and once per machine, really). */
  static synchronized Path install() throws IOException, InterruptedException {
    Path root = projectRoot();
    Path dir = toolsDir(root).resolve("browser-tests-" + PLAYWRIGHT_CORE_VERSION + "-" + AXE_CORE_VERSION);
    if (installed) {
      return dir;
    }
    exec(List.of("bash", root.resolve("scripts/install-chromium.sh").toString()), root, Duration.ofMinutes(10));
    if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))
        || !Files.isDirectory(dir.resolve("node_modules/axe-core"))) {
      Files.createDirectories(dir);
      exec(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir.toString(),
          "playwright-core@" + PLAYWRIGHT_CORE_VERSION, "axe-core@" + AXE_CORE_VERSION), root, Duration.ofMinutes(5));
    }
    installed = true;
    return dir;
  }

  private static void exec(List<String> command, Path dir, Duration timeout) throws IOException, InterruptedException {
    Path log = Files.createTempFile("bunker-browser-install", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed:\n" + Files.readString(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The folder holding the root pom.xml and host.json, found from the working directory. */
  static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("host.json")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("Not inside the Bunker project: no folder with host.json and pom.xml above "
        + Path.of("").toAbsolutePath());
  }

  private static Path toolsDir(Path root) {
    String configured = System.getenv("BUNKER_TOOLS_DIR");
    return configured == null || configured.isBlank() ? root.resolve(".tools") : Path.of(configured);
  }
}
