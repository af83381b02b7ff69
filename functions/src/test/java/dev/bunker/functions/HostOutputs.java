package dev.bunker.functions;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.microsoft.azure.functions.OutputBinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue output bindings the Functions host hands one invocation, by queue name: each holds what
 * the function set until the host writes it, once the function returned, one message per element
 * of the list.
 */
final class HostOutputs {
  private final Map<String, Output> outputs = new LinkedHashMap<>();

  /** The output binding for {@code queue}. */
  OutputBinding<List<String>> to(String queue) {
    return outputs.computeIfAbsent(queue, name -> new Output());
  }

  /** What the function set for {@code queue}: empty when nothing. */
  List<String> messages(String queue) {
    Output output = outputs.get(queue);
    return output == null || output.value == null ? List.of() : output.value;
  }

  /** Writes what the function set, as the host does after it returned; {@code queues} encodes as host.json says. */
  void writeTo(QueueServiceClient queues) {
    outputs.forEach((queue, output) -> {
      if (output.value != null) {
        QueueClient client = queues.getQueueClient(queue);
        client.createIfNotExists();
        output.value.forEach(client::sendMessage);
      }
    });
  }

  private static final class Output implements OutputBinding<List<String>> {
    private List<String> value;

    @Override
    public List<String> getValue() {
      return value;
    }

    @Override
    public void setValue(List<String> value) {
      this.value = value;
    }
  }
}
