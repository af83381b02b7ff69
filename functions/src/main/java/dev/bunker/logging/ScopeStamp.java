package dev.bunker.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Puts the thread's {@link LogContext} ids in front of every record's message before any other
 * handler of the root logger sees it: whoever prints the record (the Functions worker's console,
 * devhost) prints the ids with it, whichever library logged it.
 */
public final class ScopeStamp extends Handler {
  private ScopeStamp() {
    setLevel(Level.ALL);
  }

  /** Makes the stamp the root logger's first handler, once per process. */
  public static synchronized void install() {
    Logger root = Logger.getLogger("");
    List<Handler> others = new ArrayList<>();
    for (Handler handler : root.getHandlers()) {
      if (handler instanceof ScopeStamp) {
        return;
      }
      others.add(handler);
      root.removeHandler(handler);
    }
    root.addHandler(new ScopeStamp());
    others.forEach(root::addHandler);
  }

  @Override
  public void publish(LogRecord record) {
    String stamp = LogContext.stamp();
    // a handler that logs the record again (devhost's invocation logger) must not stamp it twice
    if (!stamp.isEmpty() && record.getMessage() != null && !record.getMessage().startsWith(stamp)) {
      record.setMessage(stamp + record.getMessage());
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}
