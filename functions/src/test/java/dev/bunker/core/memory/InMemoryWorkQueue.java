package dev.bunker.core.memory;

import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.WorkQueue;
import java.util.ArrayList;
import java.util.List;

/** Keeps enqueued work in order so a test can inspect it and hand it to the workers. */
public final class InMemoryWorkQueue implements WorkQueue {
  private final List<WorkItem> items = new ArrayList<>();
  private final List<WorkItem> sent = new ArrayList<>();

  @Override
  public synchronized void enqueue(WorkItem item) {
    items.add(item);
    sent.add(item);
  }

  /** Everything ever enqueued, taken or not. */
  public synchronized List<WorkItem> sent() {
    return List.copyOf(sent);
  }

  public synchronized List<WorkItem> all() {
    return List.copyOf(items);
  }

  public synchronized <T extends WorkItem> List<T> all(Class<T> kind) {
    return items.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** Removes and returns everything of {@code kind}, oldest first. */
  public synchronized <T extends WorkItem> List<T> take(Class<T> kind) {
    List<T> taken = all(kind);
    items.removeIf(kind::isInstance);
    return new ArrayList<>(taken);
  }
}
