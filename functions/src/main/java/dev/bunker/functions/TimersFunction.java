package dev.bunker.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.bunker.app.App;

/**
 * The timers: the scheduler every five minutes, retention (of snapshots and of the audit trail) once a
 * day, verification of every snapshot weekly, the notifications' daily summary.
 */
public final class TimersFunction {
  @FunctionName("scheduler")
  public void scheduler(
      @TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timer, ExecutionContext context) {
    int started = App.bunker().scheduler().tick();
    context.getLogger().info("scheduler started " + started + " run(s)");
  }

  @FunctionName("retention")
  public void retention(
      @TimerTrigger(name = "timer", schedule = "0 30 3 * * *") String timer, ExecutionContext context) {
    int forgotten = App.bunker().retention().run();
    context.getLogger().info("retention forgot " + forgotten + " snapshot(s)");
    int expired = App.bunker().audit().applyRetention();
    context.getLogger().info("retention deleted " + expired + " audit entries older than the audit retention");
  }

  /** Sundays at 04:30 UTC, after that day's retention: no snapshot about to be forgotten is read. */
  @FunctionName("verification")
  public void verification(
      @TimerTrigger(name = "timer", schedule = "0 30 4 * * 0") String timer, ExecutionContext context) {
    int queued = App.bunker().verifications().scheduleAll();
    context.getLogger().info("verification queued for " + queued + " repositories");
  }

  /** Every day at 07:00 UTC: the summary of the day's runs, to targets that want one. */
  @FunctionName("dailySummary")
  public void dailySummary(
      @TimerTrigger(name = "timer", schedule = "0 0 7 * * *") String timer, ExecutionContext context) {
    int queued = App.bunker().notifications().queueDailySummaries();
    context.getLogger().info("daily summary queued for " + queued + " organization(s)");
  }
}
