package dev.bunker.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.OutputBinding;
import dev.bunker.app.QueueOutputs;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The queue output bindings of an HTTP function that hands work to the queue workers, by queue
 * name: the work its request enqueues for those queues leaves through them when it returns, so
 * the host wakes its triggers of those queues at once instead of at their next poll
 * ({@link QueueOutputs}).
 */
final class WorkOutputs {
  private WorkOutputs() {
  }

  static HttpResponseMessage sending(Map<String, OutputBinding<List<String>>> outputs,
      Supplier<HttpResponseMessage> request) {
    return QueueOutputs.collect(outputs.keySet(), request,
        (queue, messages) -> outputs.get(queue).setValue(messages));
  }
}
