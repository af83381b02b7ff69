package dev.bunker.core.port;

import dev.bunker.core.model.WorkItem;

/**
 * Hands work to the queue workers (Storage queues in production). Delivery is at least once, so
 * every handler is idempotent.
 */
public interface WorkQueue {
  void enqueue(WorkItem item);
}
