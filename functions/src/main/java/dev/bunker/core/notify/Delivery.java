package dev.bunker.core.notify;

import java.time.Instant;

/**
 * The outcome of the latest attempt to deliver a notification to one target. {@code eventKey} names
 * what was sent ({@code run-<runId>}, {@code summary-<date>}, {@code test-<time>}), so a redelivered
 * queue message skips the targets that already have it. {@code error} never holds the webhook URL.
 */
public record Delivery(String eventKey, NotificationEvent event, Status status, int attempts, Instant at,
    String error) {
  public enum Status {
    DELIVERED,
    /** This attempt failed; the queue delivers the notification again later. */
    RETRYING,
    /** The last attempt failed; nothing more is tried. */
    FAILED
  }

  public boolean delivered(String key) {
    return status == Status.DELIVERED && key.equals(eventKey);
  }
}
