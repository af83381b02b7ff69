package dev.bunker.ado.client;

import dev.bunker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when the client sleeps: waits are recorded, not spent. */
public final class FakeTime extends ManualClock implements Sleeper {
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public FakeTime() {
    super(Instant.now());
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }

  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  public void forgetSleeps() {
    sleeps.clear();
  }
}
