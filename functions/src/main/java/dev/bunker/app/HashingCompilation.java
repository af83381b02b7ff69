package dev.bunker.app;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Lets the JVM's optimizing compiler (C2) compile the JDK's SHA-1 and SHA-256 code and the byte
 * loop JGit writes pack indexes through (with the JDK stream methods it calls), and nothing else.
 * Naming every object of a fetched pack by its SHA-1 is most of a large backup's CPU, and only C2
 * compiles the JDK's digests to the processor's hash instructions: measured here, 185 MB/s of SHA-1
 * under the C1 compiler the Java worker is started with ({@code -XX:TieredStopAtLevel=1}) against
 * 950–1,450 MB/s with C2. JGit writes a pack's index a byte at a time through a digest and a buffer
 * (20 calls per object name), which under C1 was the next largest share of an 83,000-object
 * backup's samples. Letting C2 compile everything instead cost a fresh worker more CPU than it
 * saved on a run of many small repositories (docs/capacity.md, "CPU per repository, the worker's
 * JIT"). The app setting {@code languageWorkers__java__arguments=-XX:TieredStopAtLevel=4 ...} (infra)
 * turns C2 on; these compiler directives then keep it to those. Added through the JVM's diagnostic
 * command MBean ({@code Compiler.directives_add}) rather than a command-line file, so a directive
 * that cannot be added never stops the worker from starting: the app then runs as configured.
 */
final class HashingCompilation {
  private static final Logger LOG = Logger.getLogger(HashingCompilation.class.getName());
  private static final String DIRECTIVES = "compiler-directives.json";

  private HashingCompilation() {}

  /** Adds the directives when C2 is on; says what it did. */
  static String apply() {
    return apply(() -> vmOption("TieredStopAtLevel"));
  }

  static String apply(Supplier<String> tieredStopAtLevel) {
    String level = tieredStopAtLevel.get();
    String outcome;
    if (!"4".equals(level)) {
      outcome = "C2 is off (-XX:TieredStopAtLevel=" + level + "): no compiler directives needed";
    } else {
      try {
        outcome = add();
      } catch (IOException | JMException | RuntimeException e) {
        outcome = "compiler directives not added, C2 compiles as the JVM chooses: " + e;
      }
    }
    String said = outcome;
    LOG.info(() -> said);
    return outcome;
  }

  private static String add() throws IOException, JMException {
    Path file = Files.createTempFile("bunker-compiler-directives", ".json");
    try (InputStream directives = HashingCompilation.class.getResourceAsStream(DIRECTIVES)) {
      if (directives == null) {
        throw new IOException(DIRECTIVES + " is missing from the app");
      }
      Files.write(file, directives.readAllBytes());
      Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
          new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
      return "C2 kept to the digests and the pack index writer: " + String.valueOf(answer).strip();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String vmOption(String name) {
    try {
      return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name)
          .getValue();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
