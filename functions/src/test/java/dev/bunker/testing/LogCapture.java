package dev.bunker.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures every java.util.logging record, of every logger and level (Bunker's own loggers are
 * opened to all levels while it runs), as the text a log reader would see: the formatted message
 * and the stack trace of what was thrown. Tests scan it for secrets and for what must be logged.
 * Closing restores the levels.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger root = Logger.getLogger("");
  private final Logger bunker = Logger.getLogger("dev.bunker");
  private final Level bunkerLevel = bunker.getLevel();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture() {
    setFormatter(new SimpleFormatter());
    setLevel(Level.ALL);
  }

  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.root.addHandler(capture);
    capture.bunker.setLevel(Level.ALL);
    return capture;
  }

  /** Each record logged so far: message, then stack trace if any. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The messages logged so far on {@code logger} at {@code level}, as formatted, without header. */
  public List<String> messages(String logger, Level level) {
    return records.stream().filter(r -> logger.equals(r.getLoggerName()) && level.equals(r.getLevel()))
        .map(getFormatter()::formatMessage).toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
    StringWriter text = new StringWriter();
    text.append(getFormatter().format(record));
    if (record.getThrown() != null) {
      record.getThrown().printStackTrace(new PrintWriter(text));
    }
    lines.add(text.toString());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    bunker.setLevel(bunkerLevel);
  }
}
