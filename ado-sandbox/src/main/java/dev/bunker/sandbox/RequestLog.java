package dev.bunker.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The requests the sandbox received, in the order they arrived. A request is logged when it
 * arrives and gets its status when answered, so a retry the client sends after an answer is always
 * listed after that answer's request, and a request whose answer the client already has is never
 * missing (its answer can reach the client before the sandbox's thread finishes with it).
 */
final class RequestLog {

  private static final long SETTLE_MILLIS = 2000;

  /** One arrived request; status 0 until it is answered. */
  static final class Entry {
    private final RecordedRequest arrived;
    private volatile int status;

    private Entry(RecordedRequest arrived) {
      this.arrived = arrived;
    }

    void answered(int answeredStatus) {
      status = answeredStatus;
    }
  }

  private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

  Entry arrived(RecordedRequest request) {
    Entry entry = new Entry(request);
    entries.add(entry);
    return entry;
  }

  /** Every request so far; waits briefly for those still being answered, so their status is known. */
  List<RecordedRequest> all() {
    long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
    while (entries.stream().anyMatch(e -> e.status == 0) && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<RecordedRequest> all = new ArrayList<>();
    for (Entry entry : entries) {
      RecordedRequest r = entry.arrived;
      all.add(new RecordedRequest(r.at(), r.method(), r.path(), r.query(), entry.status, r.authScheme()));
    }
    return all;
  }

  void clear() {
    entries.clear();
  }
}
