package dev.bunker.core.notify;

import java.time.Instant;
import java.util.List;

/** An organization's notification targets as the API shows them: never a webhook URL, only its masked form. */
public record NotificationSettings(List<Target> targets) {
  /**
   * One target. {@code signingSecret} is present only in the answer to the {@code PUT} that
   * generated it: it is shown once.
   */
  public record Target(String id, NotificationKind kind, String host, String url, boolean onFailure,
      boolean onSuccess, boolean dailySummary, Instant createdAt, Delivery lastDelivery, String signingSecret) {

    static Target of(NotificationTarget target, String signingSecret) {
      return new Target(target.id(), target.kind(), target.host(), target.maskedUrl(), target.onFailure(),
          target.onSuccess(), target.dailySummary(), target.createdAt(), target.lastDelivery(), signingSecret);
    }
  }
}
