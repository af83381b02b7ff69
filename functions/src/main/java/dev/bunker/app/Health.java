package dev.bunker.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code GET /api/health} reports: the app's version and whether each part it depends on
 * answers. Details name what failed, never a secret or a connection string.
 */
public record Health(String status, String version, Map<String, Check> checks) {
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  /** The longest a probe may take before it counts as not answering. */
  static final long PROBE_TIMEOUT_SECONDS = 15;
  private static final int MAX_DETAIL = 300;
  private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "bunker-health-probe");
    thread.setDaemon(true);
    return thread;
  });

  /** One part's answer; {@code detail} says why it failed. */
  public record Check(String status, String detail) {}

  /** A named question to one part: returns normally when the part answers. */
  record Probe(String name, Runnable call) {}

  public boolean healthy() {
    return OK.equals(status);
  }

  /** The app's version: the jar's Implementation-Version, or {@code development} when run from classes. */
  public static String appVersion() {
    String version = Health.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /** Asks every probe at once, each bounded by {@link #PROBE_TIMEOUT_SECONDS}. */
  static Health of(List<Probe> probes) {
    Map<String, CompletableFuture<Check>> running = new LinkedHashMap<>();
    for (Probe probe : probes) {
      running.put(probe.name(), CompletableFuture.supplyAsync(() -> {
        probe.call().run();
        return new Check(OK, null);
      }, PROBES).completeOnTimeout(null, PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .exceptionally(e -> failed(e.getCause() == null ? e : e.getCause())));
    }
    Map<String, Check> checks = new LinkedHashMap<>();
    running.forEach((name, answer) -> {
      Check check = answer.join();
      checks.put(name, check == null
          ? new Check(FAILED, "no answer within " + PROBE_TIMEOUT_SECONDS + " s") : check);
    });
    return of(checks);
  }

  static Health of(Map<String, Check> checks) {
    boolean ok = checks.values().stream().allMatch(check -> OK.equals(check.status()));
    return new Health(ok ? OK : FAILED, appVersion(), checks);
  }

  static Check failed(Throwable e) {
    if (e instanceof TimeoutException) {
      return new Check(FAILED, "no answer in time");
    }
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    String detail = e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    return new Check(FAILED, detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
  }
}
