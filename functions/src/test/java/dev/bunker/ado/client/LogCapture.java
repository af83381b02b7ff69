package dev.bunker.ado.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures every java.util.logging record (all levels, all loggers) as the text a reader would see. */
final class LogCapture extends Handler implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Level previous = root.getLevel();
  private final Logger ado = Logger.getLogger("dev.bunker.ado");

  LogCapture() {
    setFormatter(new SimpleFormatter());
    setLevel(Level.ALL);
    root.addHandler(this);
    root.setLevel(Level.ALL);
    ado.setLevel(Level.ALL);
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

  List<String> lines() {
    return List.copyOf(lines);
  }

  List<LogRecord> records(String loggerName) {
    return records.stream().filter(r -> loggerName.equals(r.getLoggerName())).toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(previous);
    ado.setLevel(null);
  }
}
