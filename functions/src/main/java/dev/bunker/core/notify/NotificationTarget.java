package dev.bunker.core.notify;

import dev.bunker.core.model.SecretNames;
import java.time.Instant;

/**
 * A webhook an organization's notifications go to, as recorded (table {@code notifications}). The
 * URL itself is a secret: it lives in the secret store under {@link #urlSecretName()}, and the
 * record keeps only its {@code host} and a {@code maskedUrl} (scheme, host and port) to show.
 * A {@link NotificationKind#GENERIC generic} target signs its messages with the secret under {@link
 * #signingSecretName()}. {@code lastDelivery} is null until something was sent.
 */
public record NotificationTarget(
    String organizationId,
    String id,
    NotificationKind kind,
    String host,
    String maskedUrl,
    boolean onFailure,
    boolean onSuccess,
    boolean dailySummary,
    Instant createdAt,
    Delivery lastDelivery) {

  public String urlSecretName() {
    return SecretNames.WEBHOOK_PREFIX + id;
  }

  public String signingSecretName() {
    return SecretNames.WEBHOOK_PREFIX + "signing-" + id;
  }

  /** Whether this target subscribes to {@code event}; every target gets a test. */
  public boolean wants(NotificationEvent event) {
    return switch (event) {
      case RUN_FAILED, RUN_PARTIALLY_FAILED -> onFailure;
      case RUN_SUCCEEDED -> onSuccess;
      case DAILY_SUMMARY -> dailySummary;
      case TEST -> true;
    };
  }
}
