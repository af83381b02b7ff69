package dev.bunker.core;

import dev.bunker.sandbox.ForwardingHttpClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sandbox traffic that can halt one queue delivery mid-way: once the threads of the delivery's
 * thread group (its own and its worker pool's) have created {@code workItems} work items, each of
 * their further requests waits until {@link #release}, then goes on, or fails as a process the host
 * stopped would (nothing more reaches Azure DevOps). Other threads' requests pass.
 */
public final class HaltingHttpClient extends ForwardingHttpClient {
  private final AtomicInteger creating = new AtomicInteger();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch halted = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile ThreadGroup delivery;
  private volatile int workItems;
  private volatile boolean stopped;

  public HaltingHttpClient(HttpClient delegate) {
    super(delegate);
  }

  /** Halts the delivery running in {@code group} after it created {@code workItems} work items. */
  public void haltAfter(ThreadGroup group, int workItems) {
    this.workItems = workItems;
    this.delivery = group;
  }

  /**
   * Waits until the delivery is halted, the work items it created before are there and its other
   * requests sent before the halt are answered (a comment posted then is recorded, not made twice).
   */
  public void awaitHalted() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    if (!halted.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the delivery never reached its halt");
    }
    while (created.get() < workItems) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the delivery created " + created.get() + " work items, not " + workItems);
      }
      Thread.sleep(10);
    }
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(inFlight.get() + " requests of the delivery were never answered");
      }
      Thread.sleep(10);
    }
  }

  /** Lets the halted delivery go on, or (when {@code stop}) fail every request it makes from now on. */
  public void release(boolean stop) {
    stopped = stop;
    released.countDown();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    ThreadGroup group = delivery;
    if (group != null && group.parentOf(Thread.currentThread().getThreadGroup())) {
      boolean creates = request.method().equals("POST") && request.uri().getPath().contains("/_apis/wit/workitems/$");
      inFlight.incrementAndGet(); // before the halt is decided, so awaitHalted cannot miss it
      if (halted.getCount() == 0 || creates && creating.getAndIncrement() >= workItems) {
        inFlight.decrementAndGet();
        halted.countDown();
        released.await();
        if (stopped) {
          throw new IllegalStateException("the host stopped this delivery");
        }
        inFlight.incrementAndGet();
      }
      try {
        HttpResponse<T> response = delegate.send(request, handler);
        if (creates) {
          created.incrementAndGet();
        }
        return response;
      } finally {
        inFlight.decrementAndGet();
      }
    }
    return delegate.send(request, handler);
  }
}
