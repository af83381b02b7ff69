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
  private final WorkQueue direct;
  private final ThreadLocal<Collected> collecting = new ThreadLocal<>();

  public QueueOutputs(WorkQueue direct) {
    this.direct = direct;
  }

  @Override
  public void enqueue(WorkItem item) {
    Collected collected = collecting.get();
    if (collected != null && collected.queues.contains(item.queue())) {
      collected.items.add(item);
    } else {
      direct.enqueue(item);
    }
  }

  /**
   * Runs {@code call} on this thread, collecting the work it enqueues for {@code queues}; once it
   * returned, hands each of those queues its messages (the JSON text the workers read), in the order
   * enqueued, to {@code outputs}. A queue nothing was enqueued for is not handed over.
   */
  public <T> T collect(Set<String> queues, Supplier<T> call, BiConsumer<String, List<String>> outputs) {
    Collected previous = collecting.get();
    Collected collected = new Collected(queues);
    collecting.set(collected);
    T result;
    try {
      result = call.get();
    } catch (RuntimeException | Error e) {
      collecting.set(previous);
      collected.items.forEach(direct::enqueue);
      throw e;
    } finally {
      collecting.set(previous);
    }
    Map<String, List<String>> messages = new LinkedHashMap<>();
    for (WorkItem item : collected.items) {
      messages.computeIfAbsent(item.queue(), queue -> new ArrayList<>()).add(Json.write(item));
    }
    messages.forEach(outputs);
    return result;
  }

  private record Collected(Set<String> queues, List<WorkItem> items) {
    Collected(Set<String> queues) {
      this(queues, new ArrayList<>());
    }
  }
}
