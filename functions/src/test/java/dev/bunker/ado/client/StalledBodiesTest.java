package dev.bunker.ado.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Only time blocked in a read counts as silence. */
class StalledBodiesTest {
  private final StalledBodies bodies = new StalledBodies(Duration.ofMillis(200));

  @Test
  void aCallerThatTakesItsTimeBetweenReadsIsNotCutOff() throws Exception {
    try (InputStream body = bodies.watch(new ByteArrayInputStream(new byte[] {1, 2, 3}), "GET host/path")) {
      for (int i = 0; i < 3; i++) {
        assertThat(body.read()).isEqualTo(i + 1);
        Thread.sleep(500); // staging what it read elsewhere, say
      }
      assertThat(body.read()).isEqualTo(-1);
    }
  }

  @Test
  void aReadThatWaitsLongerThanTheLimitFailsSayingSo() throws IOException {
    try (InputStream body = bodies.watch(new SilentAfterOneByte(), "GET host/path")) {
      assertThat(body.read()).isEqualTo(7);

      assertThatThrownBy(body::read).isInstanceOf(IOException.class)
          .hasMessage("GET host/path: the answer stopped arriving (nothing for 200 ms)");
    }
  }

  /** One byte, then nothing until closed, which wakes the blocked reader as the JDK's body stream does. */
  private static final class SilentAfterOneByte extends InputStream {
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean sent;

    @Override
    public int read() throws IOException {
      if (!sent) {
        sent = true;
        return 7;
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("closed");
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void aLimitUnderAMillisecondIsRefused() {
    assertThatThrownBy(() -> new StalledBodies(Duration.ofNanos(3))).isInstanceOf(IllegalArgumentException.class);
  }
}
