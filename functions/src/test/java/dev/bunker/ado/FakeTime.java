package dev.bunker.ado;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when the client sleeps: waits are recorded, not spent. */
final class FakeTime extends Clock implements Sleeper {
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private volatile Instant now = Instant.now();

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  void forgetSleeps() {
    sleeps.clear();
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
