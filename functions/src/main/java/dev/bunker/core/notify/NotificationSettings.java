package dev.bunker.core.notify;

import java.time.Instant;
import java.util.List;

/**
 * An organization's notification targets as the API shows them: never a webhook URL, only its masked
 * form, and never a signing secret, only whether one is set.
 */
public record NotificationSettings(List<Target> targets) {
  /** One target. {@code signingSecretSet} is null for kinds that are not signed (Teams, Slack). */
  public record Target(String id, NotificationKind kind, String host, String url, boolean onFailure,
      boolean onSuccess, boolean dailySummary, Instant createdAt, Delivery lastDelivery, Boolean signingSecretSet) {

    static Target of(NotificationTarget target, boolean signingSecretSet) {
      return new Target(target.id(), target.kind(), target.host(), target.maskedUrl(), target.onFailure(),
          target.onSuccess(), target.dailySummary(), target.createdAt(), target.lastDelivery(),
          target.kind() == NotificationKind.GENERIC ? signingSecretSet : null);
    }
  }
}
