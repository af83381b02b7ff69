package dev.bunker.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Replaces the JVM's default console handler, which the Functions Java worker leaves on the root
 * logger: it writes every record to stderr in two lines, and the host logs each stderr line as a
 * separate trace, at Error level unless it contains "warn". Here each record is one line (a stack
 * trace folded into it), on stdout (Information) below WARNING and on stderr from WARNING on.
 * Hosts that install their own root handler (devhost) are left alone.
 */
public final class WorkerConsole extends Handler {
  private final SimpleFormatter messages = new SimpleFormatter();

  private WorkerConsole() {
    setLevel(Level.INFO);
  }

  /** Swaps the root logger's {@link ConsoleHandler}s, if any, for one {@code WorkerConsole}. */
  public static synchronized void install() {
    Logger root = Logger.getLogger("");
    boolean replaced = false;
    for (Handler handler : root.getHandlers()) {
      if (handler.getClass() == ConsoleHandler.class) {
        root.removeHandler(handler);
        replaced = true;
      }
    }
    if (replaced) {
      root.addHandler(new WorkerConsole());
    }
  }

  /** {@code LEVEL logger: message | stack trace lines}, on one line. */
  static String line(LogRecord record, String message) {
    StringBuilder line = new StringBuilder(record.getLevel().getName()).append(' ')
        .append(record.getLoggerName() == null ? "" : record.getLoggerName()).append(": ").append(message);
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      trace.toString().lines().map(String::strip).forEach(frame -> line.append(" | ").append(frame));
    }
    return line.toString().replace('\n', ' ').replace('\r', ' ');
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    PrintStream out = record.getLevel().intValue() >= Level.WARNING.intValue() ? System.err : System.out;
    out.println(line(record, messages.formatMessage(record)));
  }

  @Override
  public void flush() {
    System.out.flush();
    System.err.flush();
  }

  @Override
  public void close() {
  }
}
