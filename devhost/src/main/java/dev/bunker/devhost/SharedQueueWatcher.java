package dev.bunker.devhost;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wakes this host's listeners of a queue when one of its functions wrote a message there through
 * a queue output binding, as the Functions host's storage queue extension does: its output
 * binding's collector calls {@code IMessageEnqueuedWatcher.Notify(queueName)} after each message
 * it adds, and every {@code QueueListener} registered for that queue name with the host's
 * {@code SharedQueueWatcher} ends its back-off wait and polls at once (Azure/azure-sdk-for-net,
 * sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Queues/src/QueuesExtensionConfigProvider.cs,
 * {@code QueueAsyncCollector.AddAsync}; ...Storage.Common/src/Shared/Queues/QueueListener.cs,
 * {@code Notify}); so does a message the host moves to a {@code -poison} queue
 * ({@code QueueListener.RegisterSharedWatcherWithQueueProcessor}). One sent with the storage SDK
 * from function code waits for the listener's next poll, here as in Azure. devhost is
 * one host running every function; on Flex Consumption only the HTTP functions share instances,
 * each queue function having its own, so there a write from an HTTP function wakes nothing.
 */
final class SharedQueueWatcher {
  private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();

  /** {@code wake} is called whenever this host wrote to {@code queueName}. */
  void register(String queueName, Runnable wake) {
    listeners.computeIfAbsent(queueName, name -> new CopyOnWriteArrayList<>()).add(wake);
  }

  void notifyEnqueued(String queueName) {
    listeners.getOrDefault(queueName, List.of()).forEach(Runnable::run);
  }
}
