package dev.bunker.core.notify;

import dev.bunker.core.model.RunStatus;
import java.util.Optional;

/** What a notification tells. */
public enum NotificationEvent {
  RUN_FAILED,
  RUN_PARTIALLY_FAILED,
  RUN_SUCCEEDED,
  DAILY_SUMMARY,
  /** Asked for by an admin ("send test notification"): sent to every target, whatever it subscribes to. */
  TEST;

  /** The event a run that ended with {@code status} raises; empty while it has not ended. */
  public static Optional<NotificationEvent> ofRun(RunStatus status) {
    return switch (status) {
      case FAILED -> Optional.of(RUN_FAILED);
      case PARTIALLY_SUCCEEDED -> Optional.of(RUN_PARTIALLY_FAILED);
      case SUCCEEDED -> Optional.of(RUN_SUCCEEDED);
      case QUEUED, RUNNING -> Optional.empty();
    };
  }
}
