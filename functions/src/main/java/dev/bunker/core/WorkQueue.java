package dev.bunker.core;

/**
 * Hands work to the queue workers (Storage queues in production). Delivery is at least once, so
 * every handler is idempotent.
 */
public interface WorkQueue {
  void enqueue(WorkItem item);
}
