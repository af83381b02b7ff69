package dev.bunker.devhost;

import com.azure.storage.queue.QueueClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs one invocation of a function: binds its parameters, calls the method on a fresh instance
 * (as the Java worker does), and on success writes its queue outputs. HTTP outputs are returned.
 */
final class Invoker {
  private final QueueClients queues;
  private final boolean base64;
  private final SharedQueueWatcher watcher;

  /**
   * {@code base64}: queue messages are written base64-encoded (host.json messageEncoding);
   * {@code watcher} wakes this host's listeners of a queue an output wrote to.
   */
  Invoker(QueueClients queues, boolean base64, SharedQueueWatcher watcher) {
    this.queues = queues;
    this.base64 = base64;
    this.watcher = watcher;
  }

  /** What triggered an invocation. */
  interface TriggerInput {
    /** The trigger payload converted to the trigger parameter's type. */
    Object bind(Type type) throws BindingException;

    /** Values for {@code @BindingName} parameters. */
    Map<String, Object> metadata();

    String reason();
  }

  /**
   * How an invocation ended; {@code httpResponse} is the value of the function's http output, if
   * any; {@code bindingFailure} says why the trigger could not be bound to the parameters.
   */
  record Outcome(boolean succeeded, Object httpResponse, String bindingFailure, Throwable failure) {
    static Outcome success(Object httpResponse) {
      return new Outcome(true, httpResponse, null, null);
    }
  }

  Outcome invoke(FunctionSpec function, TriggerInput input) {
    String invocationId = UUID.randomUUID().toString();
    long start = System.nanoTime();
    Log.info(
        "Executing 'Functions." + function.name() + "' (Reason='" + input.reason() + "', Id=" + invocationId + ")");
    Outcome outcome;
    try {
      outcome = run(function, input, invocationId);
    } catch (BindingException e) {
      outcome = new Outcome(false, null, e.getMessage(), null);
    } catch (InvocationTargetException e) {
      outcome = new Outcome(false, null, null, e.getCause());
    } catch (Exception | LinkageError e) {
      outcome = new Outcome(false, null, null, e);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String result = outcome.succeeded() ? "Succeeded" : "Failed";
    String summary = "Executed 'Functions." + function.name() + "' (" + result + ", Id=" + invocationId
        + ", Duration=" + millis + "ms)";
    if (outcome.bindingFailure() != null) {
      Log.info(summary + ": " + outcome.bindingFailure());
    } else if (outcome.failure() != null) {
      Log.error(summary, outcome.failure());
    } else {
      Log.info(summary);
    }
    return outcome;
  }

  private Outcome run(FunctionSpec function, TriggerInput input, String invocationId) throws Exception {
    Map<String, Output<?>> outputs = new HashMap<>();
    Object[] arguments = new Object[function.parameters().size()];
    for (int i = 0; i < arguments.length; i++) {
      ParameterBinder binder = function.parameters().get(i);
      if (binder instanceof ParameterBinder.Context) {
        arguments[i] = new InvocationContext(invocationId, function.name());
      } else if (binder instanceof ParameterBinder.Trigger trigger) {
        arguments[i] = input.bind(trigger.type());
      } else if (binder instanceof ParameterBinder.Output output) {
        Output<?> holder = new Output<>();
        outputs.put(output.bindingName(), holder);
        arguments[i] = holder;
      } else if (binder instanceof ParameterBinder.Metadata metadata) {
        arguments[i] = Conversions.convert(input.metadata().get(metadata.key()), metadata.type(),
            "binding data '" + metadata.key() + "'");
      }
    }
    Method method = function.method();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(function.loader());
    Object returned;
    try {
      Object instance = Modifier.isStatic(method.getModifiers()) ? null
          : method.getDeclaringClass().getConstructor().newInstance();
      returned = method.invoke(instance, arguments);
    } finally {
      thread.setContextClassLoader(previous);
    }
    Object httpResponse = null;
    for (Binding binding : function.outputs()) {
      Object value = "$return".equals(binding.name()) ? returned
          : outputs.containsKey(binding.name()) ? outputs.get(binding.name()).getValue() : null;
      if (Binding.HTTP.equals(binding.type())) {
        httpResponse = value;
      } else if (Binding.QUEUE.equals(binding.type()) && value != null) {
        send(binding, value);
      }
    }
    return Outcome.success(httpResponse);
  }

  /**
   * Writes a queue output: each element of a list or array is one message, encoded as the host does,
   * and after each one this host's listeners of the queue are woken, as the host's collector does.
   */
  private void send(Binding binding, Object value) {
    String queueName = binding.text("queueName", binding.name());
    QueueClient queue = queues.created(binding.connectionString(), queueName);
    List<Object> messages = new ArrayList<>();
    if (value instanceof Iterable<?> items) {
      items.forEach(messages::add);
    } else if (value instanceof Object[] items) {
      messages.addAll(List.of(items));
    } else {
      messages.add(value);
    }
    for (Object message : messages) {
      byte[] content = bytes(message);
      queue.sendMessage(base64 ? Base64.getEncoder().encodeToString(content)
          : new String(content, StandardCharsets.UTF_8));
      watcher.notifyEnqueued(queueName);
    }
  }

  private static byte[] bytes(Object message) {
    if (message instanceof byte[] bytes) {
      return bytes;
    }
    if (message instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Json.MAPPER.writeValueAsBytes(message);
    } catch (Exception e) {
      throw new IllegalArgumentException("Cannot serialize queue output " + message.getClass().getName(), e);
    }
  }
}
