package dev.bunker.ado.client;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Holds calls to an organization off while Azure DevOps asks to wait ({@code Retry-After}) or
 * warns that the rate-limit budget is nearly spent ({@code X-RateLimit-*}); throttling is per
 * user, so a pause holds off every call to the organization, not just the one that was told.
 */
final class Pacing {
  private static final Logger LOG = Logger.getLogger("dev.bunker.ado");

  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration maxPause;

  Pacing(Clock clock, Sleeper sleeper, Duration maxPause) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.maxPause = maxPause;
  }

  Clock clock() {
    return clock;
  }

  /** Waits out a pause the organization is in, if any. */
  void await(OrganizationUrl organization, OrganizationState state) {
    Instant until = state.pausedUntil.get();
    if (until == null) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), until);
    if (!wait.isNegative() && !wait.isZero()) {
      sleep(organization, wait);
    }
    state.pausedUntil.compareAndSet(until, null);
  }

  /** Slows down when an answer (other than a 429, which the retry handles) warns or asks to wait. */
  void observe(OrganizationUrl organization, OrganizationState state, int status, HttpHeaders headers) {
    Duration pause = null;
    String reason = null;
    Optional<Duration> retryAfter = retryAfter(headers);
    OptionalLong remaining = number(headers, "X-RateLimit-Remaining");
    OptionalLong limit = number(headers, "X-RateLimit-Limit");
    if (status != 429 && retryAfter.isPresent()) {
      pause = retryAfter.get();
      reason = "asked to wait (Retry-After)";
    } else if (status != 429 && remaining.isPresent() && limit.isPresent()
        && remaining.getAsLong() <= Math.max(1, limit.getAsLong() / 10)) {
      OptionalLong reset = number(headers, "X-RateLimit-Reset");
      pause = reset.isPresent()
          ? Duration.between(clock.instant(), Instant.ofEpochSecond(reset.getAsLong()))
          : Duration.ofSeconds(1);
      reason = "rate limit nearly used up (" + remaining.getAsLong() + " of " + limit.getAsLong()
          + " left for " + headers.firstValue("X-RateLimit-Resource").orElse("?") + ")";
    }
    if (pause != null && !pause.isNegative() && !pause.isZero()) {
      Duration wait = capped(pause);
      pauseAll(state, wait);
      String why = reason;
      LOG.info(() -> "Slowing down calls to " + organization + " for " + wait.toMillis() + " ms: " + why);
    }
  }

  /** Holds off every call to the organization for {@code wait} (a longer pause already set stays). */
  void pauseAll(OrganizationState state, Duration wait) {
    Instant until = clock.instant().plus(wait);
    state.pausedUntil.accumulateAndGet(until,
        (current, proposed) -> current == null || proposed.isAfter(current) ? proposed : current);
  }

  void sleep(OrganizationUrl organization, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzureDevOpsException(organization, "Interrupted while waiting to call Azure DevOps", e);
    }
  }

  /** {@code Retry-After} (in seconds or as an HTTP date), at most the longest pause honoured. */
  Optional<Duration> retryAfterCapped(HttpHeaders headers) {
    return retryAfter(headers).map(this::capped);
  }

  private Duration capped(Duration wait) {
    return wait.compareTo(maxPause) > 0 ? maxPause : wait;
  }

  private Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private static OptionalLong number(HttpHeaders headers, String name) {
    try {
      return headers.firstValue(name).map(v -> OptionalLong.of((long) Double.parseDouble(v.trim())))
          .orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
