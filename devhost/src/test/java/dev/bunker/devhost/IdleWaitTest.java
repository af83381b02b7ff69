package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A listener's wait between polls ends early only as the host's QueueListener's does. */
class IdleWaitTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  private static CompletableFuture<Void> waiting(IdleWait wait) {
    return CompletableFuture.runAsync(() -> {
      try {
        wait.await(LONG);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aWakeUpDuringTheWaitEndsIt() throws Exception {
    IdleWait wait = new IdleWait();
    wait.pollStarts();
    Thread waiter = new Thread(() -> {
      try {
        wait.await(LONG);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waiter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(waiter.getState()).as("waiting").isEqualTo(Thread.State.TIMED_WAITING);

    wait.wake();

    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
  }

  @Test
  void aWakeUpDuringThePollEndsTheWaitAfterItAtOnce() throws Exception {
    IdleWait wait = new IdleWait();
    wait.pollStarts();
    wait.wake(); // the message came while the poll was under way: that poll may have missed it

    waiting(wait).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWakeUpBeforeThePollIsSpentByThatPoll() throws Exception {
    IdleWait wait = new IdleWait();
    wait.wake();
    wait.pollStarts(); // this poll sees the message

    CompletableFuture<Void> waited = waiting(wait);
    Thread.sleep(200);
    assertThat(waited).as("the wait after that poll is not cut short").isNotDone();
    wait.stop();
    waited.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWaitEndsWhenItsDelayIsOver() throws Exception {
    IdleWait wait = new IdleWait();
    wait.pollStarts();
    long start = System.nanoTime();

    wait.await(Duration.ofMillis(100));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }
}
