package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.World;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

public class SchedulerTest {
  public static PolicyInput hours(String zone, Integer... hours) {
    return aPolicy().atHours(zone, hours).build();
  }

  /**
   * Runs the scheduler from two threads at once, {@code rounds} times, and returns the discoveries
   * enqueued; shared with the Tables catalog test.
   */
  public static List<WorkItem.Discover> tickConcurrently(World world, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Integer>> ticks = List.of(
            pool.submit(() -> {
              start.await();
              return world.bunker.scheduler().tick();
            }),
            pool.submit(() -> {
              start.await();
              return world.bunker.scheduler().tick();
            }));
        for (Future<Integer> tick : ticks) {
          tick.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return world.queue.all(WorkItem.Discover.class);
  }

  @Test
  void itIsOneFiftyNineInWarsawAndThePolicySaysTwo() {
    World world = new World("2026-01-15T00:59:59Z");
    Organization organization = world.registerContoso(hours("Europe/Warsaw", 2));
    assertThat(world.bunker.scheduler().tick()).isZero();
    world.clock.advance(Duration.ofSeconds(1));
    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);
    WorkItem.Discover discover = world.queue.all(WorkItem.Discover.class).get(0);
    assertThat(discover.organizationId()).isEqualTo(organization.id());
    assertThat(discover.trigger()).isEqualTo(Trigger.SCHEDULE);
    assertThat(discover.slot()).isEqualTo(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(world.bunker.organizations().get(organization.id()).nextSlot())
        .isEqualTo(Instant.parse("2026-01-16T01:00:00Z"));
  }

  @Test
  void aLateTickStillRunsTheSlotOnce() {
    World world = new World("2026-01-15T00:30:00Z");
    world.registerContoso(hours("UTC", 1));
    world.clock.set(Instant.parse("2026-01-15T01:04:59Z"));
    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);
    world.clock.advance(Duration.ofMinutes(5));
    assertThat(world.bunker.scheduler().tick()).isZero();
  }

  @Test
  void slotsMissedWhileDownRunOnceNotManyTimes() {
    World world = new World("2026-01-15T00:30:00Z");
    world.registerContoso(aPolicy().everyHours(1).build());
    world.clock.set(Instant.parse("2026-01-16T07:42:00Z"));
    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);
    assertThat(world.bunker.scheduler().tick()).isZero();
    assertThat(world.queue.all(WorkItem.Discover.class).get(0).slot()).isEqualTo(Instant.parse("2026-01-15T01:00:00Z"));
    world.clock.set(Instant.parse("2026-01-16T08:00:00Z"));
    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);
  }

  @Test
  void everyHoursFiresOncePerSlotThroughTheDay() {
    World world = new World("2026-01-15T00:00:00Z");
    world.registerContoso(aPolicy().everyHours(6).build());
    for (int minutes = 0; minutes < 24 * 60; minutes += 5) {
      world.clock.advance(Duration.ofMinutes(5));
      world.bunker.scheduler().tick();
    }
    assertThat(world.queue.all(WorkItem.Discover.class)).extracting(WorkItem.Discover::slot).containsExactly(
        Instant.parse("2026-01-15T06:00:00Z"), Instant.parse("2026-01-15T12:00:00Z"),
        Instant.parse("2026-01-15T18:00:00Z"), Instant.parse("2026-01-16T00:00:00Z"));
  }

  @Test
  void twoConcurrentTicksStartOneRunPerSlot() throws Exception {
    World world = new World("2026-01-15T00:30:00Z");
    world.registerContoso(hours("UTC", 1));
    world.clock.set(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(tickConcurrently(world, 20)).hasSize(1);
  }

  @Test
  void deletedOrganizationsAreNotScheduled() {
    World world = new World("2026-01-15T00:30:00Z");
    Organization organization = world.registerContoso(hours("UTC", 1));
    world.bunker.organizations().delete(organization.id());
    world.clock.set(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(world.bunker.scheduler().tick()).isZero();
  }
}
