package dev.bunker.devhost;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer trigger: fires at each occurrence of its NCRONTAB schedule, never overlapping itself
 * (the next occurrence is scheduled when an invocation ends), and once at startup when
 * function.json says {@code runOnStartup}. The function receives the host's TimerInfo JSON.
 * Schedule status lives in memory only, so a past-due run after downtime is not detected.
 */
final class TimerListener {
  /** An invocation this much later than its occurrence is reported as past due. */
  private static final Duration PAST_DUE = Duration.ofSeconds(1);

  private final FunctionSpec function;
  private final NcrontabSchedule schedule;
  private final boolean runOnStartup;
  private final Invoker invoker;
  private final ExecutorService invocations;
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private volatile boolean running;
  private volatile ScheduledFuture<?> pending;
  private volatile ZonedDateTime last;

  TimerListener(FunctionSpec function, Invoker invoker, ExecutorService invocations,
      ScheduledExecutorService timers, Clock clock) {
    this.function = function;
    try {
      this.schedule = NcrontabSchedule.parse(function.trigger().text("schedule", ""));
    } catch (HostConfigurationException e) {
      throw new HostConfigurationException("Function '" + function.name() + "': " + e.getMessage());
    }
    this.runOnStartup = function.trigger().flag("runOnStartup");
    this.invoker = invoker;
    this.invocations = invocations;
    this.timers = timers;
    this.clock = clock;
  }

  String describe() {
    return function.name() + ": timerTrigger " + schedule + (runOnStartup ? " (runOnStartup)" : "");
  }

  void start() {
    running = true;
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
    if (runOnStartup) {
      submit(now, false, true, "Timer fired at startup (runOnStartup)");
    } else {
      scheduleAfter(now);
    }
  }

  String functionName() {
    return function.name();
  }

  /** Runs the function now, outside its schedule (the host's admin API, as Core Tools offers it). */
  boolean runNow() {
    if (!running) {
      return false;
    }
    submit(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)), false, false,
        "This function was programmatically called via the host APIs.");
    return true;
  }

  void stop() {
    running = false;
    ScheduledFuture<?> next = pending;
    if (next != null) {
      next.cancel(false);
    }
  }

  private void scheduleAfter(ZonedDateTime time) {
    if (!running) {
      return;
    }
    ZonedDateTime occurrence = schedule.next(time);
    long delay = Math.max(0, Duration.between(ZonedDateTime.now(clock), occurrence).toMillis());
    pending = timers.schedule(() -> submit(occurrence, true, true, "Timer fired at " + occurrence),
        delay, TimeUnit.MILLISECONDS);
  }

  private void submit(ZonedDateTime occurrence, boolean scheduled, boolean scheduleNext, String reason) {
    if (!running) {
      return;
    }
    try {
      invocations.execute(() -> {
        try {
          ZonedDateTime started = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
          boolean pastDue = scheduled && Duration.between(occurrence, started).compareTo(PAST_DUE) > 0;
          String timerInfo = timerInfo(started, pastDue);
          invoker.invoke(function, new TimerInput(timerInfo, reason));
          last = started;
        } finally {
          if (scheduleNext) {
            ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
            scheduleAfter(now.isAfter(occurrence) ? now : occurrence);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  /** The TimerInfo the Functions host passes: {@code {"Schedule":…,"ScheduleStatus":…,"IsPastDue":…}}. */
  private String timerInfo(ZonedDateTime now, boolean pastDue) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("Last", format(last == null ? now : last));
    status.put("Next", format(schedule.next(now)));
    status.put("LastUpdated", format(now));
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("Schedule", Map.of("AdjustForDST", true));
    info.put("ScheduleStatus", status);
    info.put("IsPastDue", pastDue);
    try {
      return Json.MAPPER.writeValueAsString(info);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String format(ZonedDateTime time) {
    return time.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private record TimerInput(String timerInfo, String reason) implements Invoker.TriggerInput {
    @Override
    public Object bind(Type type) throws BindingException {
      return Conversions.convert(timerInfo, type, "timer info");
    }

    @Override
    public Map<String, Object> metadata() {
      return Map.of();
    }
  }
}
