package dev.bunker.devhost;

import java.time.Duration;

/**
 * A queue listener's wait between polls, which a message the same host wrote to its queue (through
 * an output binding, or a message it moved there as poison) cuts short ({@link SharedQueueWatcher}). As in the host's
 * {@code QueueListener}: each poll starts a new notification ({@code _stopWaitingTaskSource}), a
 * wake-up during the poll or the wait that follows ends that wait at once, and one that came before
 * the poll started is spent: that poll sees the message.
 */
final class IdleWait {
  private boolean woken;
  private boolean stopped;

  /** A poll starts: a wake-up before now is answered by this poll. */
  synchronized void pollStarts() {
    woken = false;
  }

  /** Waits up to {@code delay}, less if woken since the poll started or while waiting, or stopped. */
  synchronized void await(Duration delay) throws InterruptedException {
    long deadline = System.nanoTime() + delay.toNanos();
    long left = delay.toNanos();
    while (!woken && !stopped && left > 0) {
      wait(Math.max(1, left / 1_000_000));
      left = deadline - System.nanoTime();
    }
  }

  synchronized void wake() {
    woken = true;
    notifyAll();
  }

  synchronized void stop() {
    stopped = true;
    notifyAll();
  }
}
