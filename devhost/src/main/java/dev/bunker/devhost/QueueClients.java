package dev.bunker.devhost;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Queue clients by connection string and queue name, built once per process (messages left as raw text). */
final class QueueClients {
  private final Map<String, QueueServiceClient> services = new ConcurrentHashMap<>();
  private final Map<String, QueueClient> existing = new ConcurrentHashMap<>();

  QueueClient queue(String connectionString, String queueName) {
    return services.computeIfAbsent(connectionString,
        cs -> new QueueServiceClientBuilder().connectionString(cs).buildClient()).getQueueClient(queueName);
  }

  /** A client for a queue the host writes to (outputs, poison), created on first use as the host does. */
  QueueClient created(String connectionString, String queueName) {
    return existing.computeIfAbsent(connectionString + "\n" + queueName, key -> {
      QueueClient client = queue(connectionString, queueName);
      client.createIfNotExists();
      return client;
    });
  }
}
