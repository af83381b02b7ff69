package dev.bunker.devhost;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host process: serves one packaged function app (HTTP, queue and timer triggers) with the
 * settings it finds in its environment, until it is told to stop. Started by {@link DevHost},
 * which puts the app settings into this process's environment.
 */
public final class FunctionHost {
  /** How the host runs, from the command line. */
  public record Options(Path appDir, int port, int maxConcurrency, Duration shutdownGrace, Duration queueLease) {
    public static final int DEFAULT_PORT = 7071;

    public static Options defaults(Path appDir) {
      return new Options(appDir, DEFAULT_PORT, 16, Duration.ofSeconds(20), Duration.ofMinutes(10));
    }
  }

  private final Options options;
  private final ThreadPoolExecutor invocations;
  private final ScheduledExecutorService timers;
  private final HttpHost http;
  private final List<QueueListener> queues = new ArrayList<>();
  private final List<TimerListener> timerTriggers = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private FunctionHost(Options options, Map<String, String> settings) {
    this.options = options;
    HostConfig config = HostConfig.load(options.appDir());
    List<FunctionSpec> functions = FunctionApp.load(options.appDir(), settings);
    AtomicInteger threads = new AtomicInteger();
    this.invocations = new ThreadPoolExecutor(options.maxConcurrency(), options.maxConcurrency(), 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> new Thread(r, "invocation-" + threads.incrementAndGet()));
    this.timers = Executors.newScheduledThreadPool(1, r -> {
      Thread thread = new Thread(r, "host-timers");
      thread.setDaemon(true);
      return thread;
    });
    QueueClients clients = new QueueClients();
    SharedQueueWatcher watcher = new SharedQueueWatcher();
    Invoker invoker = new Invoker(clients, config.queues().base64(), watcher);
    List<String> problems = new ArrayList<>();
    for (FunctionSpec function : functions) {
      try {
        switch (function.trigger().type()) {
          case Binding.QUEUE_TRIGGER -> queues.add(new QueueListener(function, clients, config.queues(),
              options.queueLease(), invoker, invocations, timers, watcher));
          case Binding.TIMER_TRIGGER -> timerTriggers.add(new TimerListener(function, invoker, invocations, timers,
              Clock.systemUTC()));
          default -> {
          }
        }
        // An output whose connection setting is missing fails now rather than after the function ran.
        function.outputs().stream().filter(b -> Binding.QUEUE.equals(b.type())).forEach(Binding::connectionString);
      } catch (HostConfigurationException e) {
        problems.add(e.getMessage().startsWith("Function '") ? e.getMessage()
            : "Function '" + function.name() + "': " + e.getMessage());
      }
    }
    HttpHost httpHost = null;
    try {
      httpHost = new HttpHost(functions, config.routePrefix(), options.port(), invoker, invocations);
    } catch (HostConfigurationException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      invocations.shutdownNow();
      timers.shutdownNow();
      throw new HostConfigurationException("devhost cannot serve this app:\n  " + String.join("\n  ", problems));
    }
    this.http = httpHost;
  }

  /** Loads the app, fails with a {@link HostConfigurationException} on anything it cannot serve, then starts it. */
  public static FunctionHost start(Options options, Map<String, String> settings) {
    FunctionHost host = new FunctionHost(options, settings);
    host.http.adminInvocations(name -> host.timerTriggers.stream().filter(t -> t.functionName().equals(name))
        .findFirst().map(TimerListener::runNow).orElse(false));
    host.http.start();
    host.queues.forEach(QueueListener::start);
    host.timerTriggers.forEach(TimerListener::start);
    Log.info("Functions:");
    host.http.describe().forEach(line -> Log.info("  " + line));
    host.queues.forEach(q -> Log.info("  " + q.describe()));
    host.timerTriggers.forEach(t -> Log.info("  " + t.describe()));
    Log.info("Host started on http://localhost:" + host.http.port() + " (app " + options.appDir() + ")");
    return host;
  }

  public int port() {
    return http.port();
  }

  /**
   * Stops taking work, lets invocations in progress finish for up to the shutdown grace period,
   * then returns the messages of those still running to their queues. Never deletes a message
   * whose function did not succeed.
   */
  public void stop() {
    Instant deadline = Instant.now().plus(options.shutdownGrace());
    Log.info("Stopping: no new work; waiting up to " + options.shutdownGrace().toSeconds()
        + "s for invocations in progress");
    timerTriggers.forEach(TimerListener::stop);
    queues.forEach(QueueListener::stop);
    queues.forEach(QueueListener::awaitStopped);
    http.stop(Duration.between(Instant.now(), deadline));
    invocations.shutdown();
    try {
      long remaining = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      if (!invocations.awaitTermination(remaining, TimeUnit.MILLISECONDS)) {
        Log.info("Invocations still running after the grace period; returning their messages");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queues.forEach(QueueListener::releaseUnfinished);
    timers.shutdownNow();
    Log.info("Host stopped");
    stopped.countDown();
  }

  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * {@code FunctionHost --app DIR [--port N] [--max-concurrency N] [--shutdown-grace ISO-8601]
   * [--queue-lease ISO-8601] [--exit-with-parent]}. Settings come from the environment.
   */
  public static void main(String[] args) throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // The Azure SDK logs every failed call (a 404 while a queue does not exist yet) as an error;
    // the host reports the failures that matter itself.
    System.setProperty("org.slf4j.simpleLogger.log.com.azure", "off");
    Log.installConsoleLogging();
    Options options;
    boolean exitWithParent;
    try {
      CommandLine line = CommandLine.parse(args);
      options = line.hostOptions();
      exitWithParent = line.flag("exit-with-parent");
    } catch (IllegalArgumentException e) {
      System.err.println("devhost: " + e.getMessage());
      System.exit(2);
      return;
    }
    FunctionHost host;
    try {
      host = start(options, System.getenv());
    } catch (HostConfigurationException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(host::stop, "devhost-stop"));
    if (exitWithParent) {
      Thread watchdog = new Thread(() -> exitAtEndOfInput(System.in), "parent-watch");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    host.awaitStop();
  }

  /** The launcher holds our stdin open; when it dies without stopping us, stop too (gracefully). */
  private static void exitAtEndOfInput(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the launcher never writes; just wait for end of input
      }
    } catch (IOException e) {
      // treat as end of input
    }
    Log.info("The launcher stopped or is gone; stopping");
    System.exit(0);
  }
}
