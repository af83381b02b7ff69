package dev.bunker.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.bunker.app.App;

/** The two timers: the scheduler every five minutes, retention once a day. */
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
  }
}
