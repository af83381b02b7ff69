package dev.bunker.core.memory;

import dev.bunker.core.notify.Notification;
import dev.bunker.core.notify.Notifier;
import dev.bunker.core.notify.Webhook;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A notifier that keeps what it was asked to send. It admits https URLs on {@code hooks.example.com}
 * only, and fails every delivery while {@link #failing} is set.
 */
public final class RecordingNotifier implements Notifier {
  public static final String ALLOWED_HOST = "hooks.example.com";

  /** One delivery: to which target, in which format, what. */
  public record Sent(Webhook webhook, Notification notification) {}

  private final List<Sent> sent = new ArrayList<>();
  private String failing;

  @Override
  public Optional<String> refusal(URI url) {
    return "https".equals(url.getScheme()) && ALLOWED_HOST.equals(url.getHost()) ? Optional.empty()
        : Optional.of("the host " + url.getHost() + " is not on the webhook allow-list");
  }

  @Override
  public synchronized void deliver(Webhook webhook, Notification notification) throws DeliveryException {
    if (failing != null) {
      throw new DeliveryException(failing);
    }
    sent.add(new Sent(webhook, notification));
  }

  /** Fails every delivery with {@code reason} from now on; null delivers again. */
  public synchronized void failing(String reason) {
    failing = reason;
  }

  public synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }
}
