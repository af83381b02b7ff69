package dev.bunker.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Switchable misbehaviour. Each call arms a fault for the next {@code calls} authenticated
 * requests (REST and git alike), or only for those {@link #onPaths} picks; armed faults are used up
 * in the order they were armed. Requests the sandbox refuses for their credentials do not use up a
 * fault.
 */
public final class Faults {

  enum Kind { THROTTLE, RATE_LIMIT_WARNING, FAIL, SLOW, SIGN_IN_PAGE, SIGN_IN_REDIRECT, REDIRECT, RESET, STALL }

  /** One armed fault; {@code duration}, {@code status} and {@code location} as its kind needs. */
  record Fault(Kind kind, AtomicInteger remaining, Duration duration, int status, URI location,
      Predicate<String> paths) {}

  private final ConcurrentLinkedQueue<Fault> armed;
  private final Predicate<String> paths;

  Faults() {
    this(new ConcurrentLinkedQueue<>(), path -> true);
  }

  private Faults(ConcurrentLinkedQueue<Fault> armed, Predicate<String> paths) {
    this.armed = armed;
    this.paths = paths;
  }

  /**
   * Faults armed through the answer apply only to requests whose path (e.g. {@code
   * /contoso/Web/_apis/release/definitions}) {@code paths} accepts; other requests pass them by.
   * Clearing either clears both.
   */
  public Faults onPaths(Predicate<String> paths) {
    return new Faults(armed, paths);
  }

  /** 429 Too Many Requests with {@code Retry-After} (whole seconds, rounded up) and X-RateLimit-*. */
  public Faults throttleNext(int calls, Duration retryAfter) {
    return arm(Kind.THROTTLE, calls, retryAfter, 429, null);
  }

  /**
   * Answers normally but warns like Azure DevOps does before throttling: {@code X-RateLimit-*}
   * headers saying almost no budget remains and that usage resets after {@code resetIn}.
   */
  public Faults warnRateLimitNext(int calls, Duration resetIn) {
    return arm(Kind.RATE_LIMIT_WARNING, calls, resetIn, 200, null);
  }

  /** A burst of server errors ({@code status} 500, 502, 503, 504…) with an Azure DevOps error body. */
  public Faults failNext(int calls, int status) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("a server error status is 5xx, not " + status);
    }
    return arm(Kind.FAIL, calls, Duration.ZERO, status, null);
  }

  /** Waits {@code delay} before answering (normally). */
  public Faults slowNext(int calls, Duration delay) {
    return arm(Kind.SLOW, calls, delay, 200, null);
  }

  /**
   * An HTML sign-in page with {@code status} (203 as Azure DevOps answers refused credentials, or
   * 200 as after a followed redirect), even when the client asked for 401s instead.
   */
  public Faults signInPageNext(int calls, int status) {
    return arm(Kind.SIGN_IN_PAGE, calls, Duration.ZERO, status, null);
  }

  /** 302 to the sandbox's sign-in page, as Azure DevOps does for a credential it does not accept. */
  public Faults redirectNextToSignIn(int calls) {
    return arm(Kind.SIGN_IN_REDIRECT, calls, Duration.ZERO, 302, null);
  }

  /** 302 to any location, e.g. another host. */
  public Faults redirectNext(int calls, URI location) {
    return arm(Kind.REDIRECT, calls, Duration.ZERO, 302, location);
  }

  /** Starts answering, then drops the connection mid-response. */
  public Faults resetNext(int calls) {
    return arm(Kind.RESET, calls, Duration.ZERO, 200, null);
  }

  /**
   * Starts answering, then sends nothing more for {@code duration} (a connection that stalls
   * mid-response), then drops the connection.
   */
  public Faults stallNext(int calls, Duration duration) {
    return arm(Kind.STALL, calls, duration, 200, null);
  }

  /** Disarms every fault. */
  public void clear() {
    armed.clear();
  }

  private Faults arm(Kind kind, int calls, Duration duration, int status, URI location) {
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be at least 1");
    }
    armed.add(new Fault(kind, new AtomicInteger(calls), duration, status, location, paths));
    return this;
  }

  /** Uses up one call of the oldest fault armed for {@code path}, or returns null when none is armed. */
  Fault take(String path) {
    for (Iterator<Fault> it = armed.iterator(); it.hasNext();) {
      Fault fault = it.next();
      if (!fault.paths().test(path)) {
        continue;
      }
      int left = fault.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0);
      if (left <= 1) {
        it.remove();
      }
      if (left > 0) {
        return fault;
      }
    }
    return null;
  }
}
