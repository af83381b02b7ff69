package dev.bunker.core.notify;

import java.net.URI;
import java.util.Optional;

/**
 * Sends notifications to webhooks (HTTPS in production). Implementations send only to URLs their
 * allow-list admits, checked before each send, follow no redirects and give up within seconds; their
 * failures never carry the webhook URL.
 */
public interface Notifier {
  /** Why {@code url} may not be a webhook (not on the allow-list, not https); empty when it may. */
  Optional<String> refusal(URI url);

  /** Sends {@code notification} to {@code webhook} once, in the format of its kind. */
  void deliver(Webhook webhook, Notification notification) throws DeliveryException;

  /** A delivery that did not succeed, with a reason fit for the API and logs (no URL, no secret). */
  final class DeliveryException extends Exception {
    public DeliveryException(String reason) {
      super(reason, null, false, false);
    }
  }
}
