package dev.bunker.logging;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging of the whole process. JGit, the Azure SDK, Reactor and Netty log through SLF4J, which
 * slf4j-jdk14 (on the runtime classpath) hands to java.util.logging; there every record gets the
 * thread's {@link LogContext} ids ({@link ScopeStamp}) and, under the Functions Java worker, one
 * console line the host forwards to Application Insights ({@link WorkerConsole}).
 */
public final class ProcessLogging {
  /**
   * Libraries that log each failed call they hand back to Bunker, which logs what matters itself:
   * only their warnings. Held here because java.util.logging keeps loggers (and their levels) only
   * as long as someone references them.
   */
  private static final List<Logger> WARNINGS_ONLY = List.of(
      Logger.getLogger("com.azure"), Logger.getLogger("reactor"), Logger.getLogger("io.netty"));

  private ProcessLogging() {
  }

  /** Idempotent; called by the process wiring before anything else logs. */
  public static void install() {
    WARNINGS_ONLY.forEach(logger -> logger.setLevel(Level.WARNING));
    WorkerConsole.install();
    ScopeStamp.install();
  }
}
