package dev.bunker.devhost;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Console output in the shape Core Tools prints: {@code [timestamp] message}. */
final class Log {
  private Log() {
  }

  static synchronized void info(String message) {
    System.out.println("[" + Instant.now() + "] " + message);
    System.out.flush();
  }

  static void error(String message, Throwable error) {
    StringWriter trace = new StringWriter();
    if (error != null) {
      error.printStackTrace(new PrintWriter(trace));
    }
    info(message + (error == null ? "" : System.lineSeparator() + trace.toString().stripTrailing()));
  }

  /** Routes java.util.logging (the ExecutionContext logger) to the console in the same shape. */
  static void installConsoleLogging() {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (!isLoggable(record)) {
          return;
        }
        String message = getFormatter().formatMessage(record);
        String prefix = record.getLoggerName() == null ? "" : record.getLoggerName() + ": ";
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          prefix = record.getLevel() + " " + prefix;
        }
        error(prefix + message, record.getThrown());
      }

      @Override
      public void flush() {
        System.out.flush();
      }

      @Override
      public void close() {
      }
    };
    handler.setFormatter(new Formatter() {
      @Override
      public String format(LogRecord record) {
        return formatMessage(record);
      }
    });
    root.addHandler(handler);
  }
}
