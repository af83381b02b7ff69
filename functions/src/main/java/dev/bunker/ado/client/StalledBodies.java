package dev.bunker.ado.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fails a read of a response body that waits longer than a limit for anything to arrive. The JDK
 * client's request timeout ends when the headers arrive, so a body that stops arriving (a
 * connection stalled mid-response) would block its reader for ever: a backup holding its lease
 * until the function times out. Only time spent blocked in a read counts, not time the caller
 * spends elsewhere between reads (staging what it read to Blob storage, say). A watchdog closes the
 * body of a read blocked longer than the limit (the JDK's body stream then wakes the reader), and
 * the read fails saying so. Elapsed time is the JVM's monotonic clock, as the socket's own
 * timeouts are.
 */
final class StalledBodies {
  /** One daemon thread for the process: it only looks at timestamps and closes streams. */
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private static final long NOT_READING = Long.MIN_VALUE;

  private final long idleNanos;
  private final long checkEveryNanos;

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "ado-stalled-bodies");
      thread.setDaemon(true);
      return thread;
    });
    watchdog.setRemoveOnCancelPolicy(true); // a body read to its end leaves no task behind
    return watchdog;
  }

  StalledBodies(Duration idle) {
    if (idle.toMillis() < 1) {
      throw new IllegalArgumentException("the idle body timeout must be at least a millisecond, got " + idle);
    }
    this.idleNanos = idle.toNanos();
    // a stall is noticed at most a quarter of the limit late, and never more than 10 s late
    this.checkEveryNanos = Math.min(idleNanos / 4, Duration.ofSeconds(10).toNanos());
  }

  /** {@code body}, failing once it brought nothing for the limit. */
  InputStream watch(InputStream body, String what) {
    return new Watched(body, what);
  }

  private final class Watched extends FilterInputStream {
    private final String what;
    private final ScheduledFuture<?> check;
    /** When the read under way started ({@code System.nanoTime()}); {@link #NOT_READING} between reads. */
    private volatile long readingSince = NOT_READING;
    private volatile boolean stalled;

    Watched(InputStream body, String what) {
      super(body);
      this.what = what;
      this.check = WATCHDOG.scheduleWithFixedDelay(this::closeIfIdle, checkEveryNanos, checkEveryNanos,
          TimeUnit.NANOSECONDS);
    }

    private void closeIfIdle() {
      long since = readingSince;
      if (since != NOT_READING && System.nanoTime() - since > idleNanos) {
        stalled = true;
        check.cancel(false);
        try {
          in.close();
        } catch (IOException ignored) {
          // closing is only to end the blocked read, which fails below either way
        }
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n;
      readingSince = System.nanoTime();
      try {
        n = in.read(buffer, offset, length);
      } catch (IOException e) {
        throw stalled ? stalledError(e) : e;
      } finally {
        readingSince = NOT_READING;
      }
      if (stalled) {
        throw stalledError(null); // a closed body may read as ended: it did not end
      }
      return n;
    }

    private IOException stalledError(IOException cause) {
      return new IOException(what + ": the answer stopped arriving (nothing for "
          + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms)", cause);
    }

    @Override
    public void close() throws IOException {
      check.cancel(false);
      super.close();
    }
  }
}
