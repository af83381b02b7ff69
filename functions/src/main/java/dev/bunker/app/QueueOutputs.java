package dev.bunker.app;

import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.WorkQueue;
import dev.bunker.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Sends work through the queue output bindings of the function invocation that enqueues it, where
 * it has one for the work's queue: the Functions host writes those messages when the function
 * returns and then wakes its own triggers of those queues at once (the storage queue extension's
 * {@code SharedQueueWatcher}), where a message sent with the storage SDK waits for the trigger's
 * next poll, up to host.json's {@code maxPollingInterval} (design §10.6). An admin who starts a
 * backup, a restore or a bundle waits for that hop. Work for a queue the invocation has no output
 * for, enqueued on another thread or outside such an invocation, goes at once through
 * {@code direct}; so does what a call that throws collected, since the host writes no outputs of a
 * failed invocation.
 */
public final class QueueOutputs implements WorkQueue {
  private static final ThreadLocal<Collected> COLLECTING = new ThreadLocal<>();

  private final WorkQueue direct;

  public QueueOutputs(WorkQueue direct) {
    this.direct = direct;
  }

  @Override
  public void enqueue(WorkItem item) {
    Collected collected = COLLECTING.get();
    if (collected != null && collected.queues.contains(item.queue())) {
      collected.items.add(new Pending(item, direct));
    } else {
      direct.enqueue(item);
    }
  }

  /**
   * Runs {@code call} on this thread, collecting the work it enqueues through a {@code QueueOutputs}
   * for {@code queues}; once it returned, hands each of those queues its messages (the JSON text the
   * workers read), in the order enqueued, to {@code outputs}. A queue nothing was enqueued for is
   * not handed over. Needs no wiring: without a {@code QueueOutputs} in the way (tests), the work
   * was sent as it was enqueued and nothing is handed over.
   */
  public static <T> T collect(Set<String> queues, Supplier<T> call, BiConsumer<String, List<String>> outputs) {
    Collected previous = COLLECTING.get();
    Collected collected = new Collected(queues, new ArrayList<>());
    COLLECTING.set(collected);
    T result;
    try {
      result = call.get();
    } catch (RuntimeException | Error e) {
      collected.items.forEach(Pending::send);
      throw e;
    } finally {
      COLLECTING.set(previous);
    }
    Map<String, List<String>> messages = new LinkedHashMap<>();
    for (Pending pending : collected.items) {
      messages.computeIfAbsent(pending.item.queue(), queue -> new ArrayList<>()).add(Json.write(pending.item));
    }
    messages.forEach(outputs);
    return result;
  }

  private record Collected(Set<String> queues, List<Pending> items) {}

  /** Work collected, and the queue it would have gone through at once. */
  private record Pending(WorkItem item, WorkQueue direct) {
    void send() {
      direct.enqueue(item);
    }
  }
}
