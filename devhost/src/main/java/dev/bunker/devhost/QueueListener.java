package dev.bunker.devhost;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.UpdateMessageResult;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A queue trigger, as the Functions storage queue extension runs it: polls with the host's
 * randomized exponential back-off up to {@code maxPollingInterval} ({@link PollingBackoff}), takes
 * {@code batchSize} messages at a time and the next batch once no more than
 * {@code newBatchThreshold} are in flight. A message is leased while
 * its function runs (the lease renewed at half time); it is deleted only after the function
 * succeeded; after a failure it becomes visible again after {@code visibilityTimeout}, or, at
 * {@code maxDequeueCount}, is moved to {@code <queue>-poison}. A message whose lease ends
 * because the host died simply becomes visible again.
 */
final class QueueListener {
  private final FunctionSpec function;
  private final QueueClients clients;
  private final QueueClient queue;
  private final String connectionString;
  private final String queueName;
  private final HostConfig.QueueOptions options;
  private final Duration leaseDuration;
  private final Invoker invoker;
  private final ExecutorService invocations;
  private final ScheduledExecutorService timers;
  private final SharedQueueWatcher watcher;
  private final Set<Lease> inFlight = ConcurrentHashMap.newKeySet();
  private final Object capacity = new Object();
  /**
   * The back-off wait after an empty poll: cut short by {@link #stop} and by a message this host
   * wrote to the queue (an output binding's, or one moved there as poison: {@link
   * SharedQueueWatcher}), not by a finished invocation: the host's listener waits its whole delay
   * then too.
   */
  private final IdleWait idle = new IdleWait();
  private volatile boolean running;
  private Thread poller;

  QueueListener(FunctionSpec function, QueueClients clients, HostConfig.QueueOptions options, Duration lease,
      Invoker invoker, ExecutorService invocations, ScheduledExecutorService timers, SharedQueueWatcher watcher) {
    this.function = function;
    this.clients = clients;
    this.connectionString = function.trigger().connectionString();
    this.queueName = function.trigger().text("queueName", "");
    if (!queueName.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
      throw new HostConfigurationException("Function '" + function.name() + "': '" + queueName
          + "' is not a valid queue name (3-63 lower-case letters, digits and single hyphens)");
    }
    this.queue = clients.queue(connectionString, queueName);
    this.options = options;
    this.leaseDuration = lease;
    this.invoker = invoker;
    this.invocations = invocations;
    this.timers = timers;
    this.watcher = watcher;
    watcher.register(queueName, this::wake);
  }

  String describe() {
    return function.name() + ": queueTrigger " + queueName;
  }

  void start() {
    running = true;
    poller = new Thread(this::poll, "queue-" + queueName);
    poller.start();
  }

  /**
   * Stops taking messages; invocations in flight go on. The poller is woken, not interrupted: a
   * receive cut short after the service handed out messages would hide them for a whole lease.
   */
  void stop() {
    running = false;
    synchronized (capacity) {
      capacity.notifyAll();
    }
    idle.stop();
  }

  /** This host wrote a message to this queue (an output binding, a poisoned message): poll now. */
  void wake() {
    idle.wake();
  }

  void awaitStopped() {
    if (poller != null) {
      try {
        poller.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Returns every message still in flight to the queue at once (shutdown after the grace period). */
  void releaseUnfinished() {
    for (Lease lease : inFlight) {
      if (lease.settle(() -> lease.update(Duration.ZERO))) {
        Log.info("Returned message " + lease.messageId + " of queue " + queueName + " (function '"
            + function.name() + "' did not finish before shutdown)");
      }
    }
  }

  private void poll() {
    PollingBackoff backoff = new PollingBackoff(options.maxPollingInterval(), ThreadLocalRandom.current()::nextDouble);
    boolean found = false;
    boolean warned = false;
    while (running) {
      try {
        synchronized (capacity) {
          while (running && inFlight.size() > options.newBatchThreshold()) {
            capacity.wait(1000);
          }
        }
        if (!running) {
          return;
        }
        idle.pollStarts();
        List<QueueMessageItem> batch = receive();
        warned = false;
        for (QueueMessageItem message : batch) {
          try {
            dispatch(message);
          } catch (RuntimeException e) {
            Log.info("Could not hand message " + message.getMessageId() + " of queue " + queueName
                + " to '" + function.name() + "'; it becomes visible again when its lease ends: " + e.getMessage());
          }
        }
        if (!batch.isEmpty()) {
          found = true;
          continue;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!warned && running) {
          Log.info(
              "Polling queue " + queueName + " for '" + function.name() + "' failed (will retry): " + e.getMessage());
          warned = true;
        }
      }
      // an empty or failed poll waits, as the host's listener does after either
      Duration delay = backoff.next(found);
      found = false;
      try {
        idle.await(delay);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<QueueMessageItem> receive() {
    try {
      return queue.receiveMessages(options.batchSize(), leaseDuration, Duration.ofSeconds(30), Context.NONE)
          .stream().toList();
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof QueueStorageException storage && storage.getStatusCode() == 404) {
          return List.of(); // the host does not create trigger queues; nothing to do until someone does
        }
      }
      throw e;
    }
  }

  private void dispatch(QueueMessageItem message) {
    Lease lease = new Lease(message.getMessageId(), message.getPopReceipt());
    if (message.getDequeueCount() > options.maxDequeueCount()) {
      // Delivered more often than allowed without a recorded failure (the host died while it ran).
      lease.settle(() -> poison(message, lease));
      return;
    }
    inFlight.add(lease);
    long renewEvery = Math.max(1, leaseDuration.toMillis() / 2);
    lease.renewal = timers.scheduleAtFixedRate(lease::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    try {
      invocations.execute(() -> {
        try {
          if (!lease.isSettled()) {
            complete(message, lease, invoker.invoke(function, new MessageInput(message)));
          }
        } finally {
          done(lease);
        }
      });
    } catch (RejectedExecutionException e) {
      lease.settle(() -> lease.update(Duration.ZERO));
      done(lease);
    }
  }

  private void done(Lease lease) {
    inFlight.remove(lease);
    synchronized (capacity) {
      capacity.notifyAll();
    }
  }

  private void complete(QueueMessageItem message, Lease lease, Invoker.Outcome outcome) {
    try {
      if (outcome.succeeded()) {
        lease.settle(() -> queue.deleteMessage(lease.messageId, lease.popReceipt));
      } else if (message.getDequeueCount() >= options.maxDequeueCount()) {
        lease.settle(() -> poison(message, lease));
      } else {
        lease.settle(() -> lease.update(options.visibilityTimeout()));
      }
    } catch (RuntimeException e) {
      Log.info("Could not settle message " + lease.messageId + " of queue " + queueName
          + "; it becomes visible again when its lease ends: " + e.getMessage());
    }
  }

  private void poison(QueueMessageItem message, Lease lease) {
    String poisonQueue = queueName + "-poison";
    clients.created(connectionString, poisonQueue).sendMessage(message.getBody().toString());
    watcher.notifyEnqueued(poisonQueue); // as the host's QueueProcessor.MessageAddedToPoisonQueue does
    queue.deleteMessage(lease.messageId, lease.popReceipt);
    Log.info("Message " + lease.messageId + " has reached MaxDequeueCount of " + options.maxDequeueCount()
        + ". Moving message to queue '" + poisonQueue + "'.");
  }

  /** The message as the function sees it (decoded per messageEncoding), plus the queue trigger's binding data. */
  private final class MessageInput implements Invoker.TriggerInput {
    private final QueueMessageItem message;

    MessageInput(QueueMessageItem message) {
      this.message = message;
    }

    @Override
    public Object bind(Type type) throws BindingException {
      String text = message.getBody().toString();
      byte[] content = text.getBytes(StandardCharsets.UTF_8);
      if (options.base64()) {
        try {
          content = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
          throw new BindingException("message " + message.getMessageId() + " of queue " + queueName
              + " is not base64-encoded, as host.json's messageEncoding (default base64) expects");
        }
      }
      return Conversions.convert(content, type, "queue message");
    }

    @Override
    public Map<String, Object> metadata() {
      Map<String, Object> data = new HashMap<>();
      data.put("DequeueCount", message.getDequeueCount());
      data.put("Id", message.getMessageId());
      data.put("PopReceipt", message.getPopReceipt());
      data.put("InsertionTime", String.valueOf(message.getInsertionTime()));
      data.put("ExpirationTime", String.valueOf(message.getExpirationTime()));
      data.put("NextVisibleTime", String.valueOf(message.getTimeNextVisible()));
      data.put("QueueTrigger", message.getBody().toString());
      return data;
    }

    @Override
    public String reason() {
      return "New queue message detected on '" + queueName + "'.";
    }
  }

  /** One delivered message: its current pop receipt, and whether it was deleted, released or poisoned. */
  private final class Lease {
    final String messageId;
    String popReceipt;
    ScheduledFuture<?> renewal;
    private boolean settled;

    Lease(String messageId, String popReceipt) {
      this.messageId = messageId;
      this.popReceipt = popReceipt;
    }

    synchronized boolean isSettled() {
      return settled;
    }

    synchronized void renew() {
      if (settled) {
        return;
      }
      try {
        update(leaseDuration);
      } catch (RuntimeException e) {
        Log.info(
            "Could not renew the lease of message " + messageId + " of queue " + queueName + ": " + e.getMessage());
      }
    }

    void update(Duration visibility) {
      UpdateMessageResult result = queue.updateMessage(messageId, popReceipt, null, visibility);
      popReceipt = result.getPopReceipt();
    }

    /** Runs {@code action} once: the first of delete, retry, poison or release wins. */
    synchronized boolean settle(Runnable action) {
      if (settled) {
        return false;
      }
      settled = true;
      if (renewal != null) {
        renewal.cancel(false);
      }
      action.run();
      return true;
    }
  }
}
