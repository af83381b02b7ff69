package dev.bunker.core.notify;

import dev.bunker.core.model.Secret;
import java.net.URI;

/** Where one notification goes: the target's kind, its URL (a secret) and, for generic targets, its signing secret. */
public record Webhook(String targetId, NotificationKind kind, Secret url, Secret signingSecret) {
  public URI uri() {
    return URI.create(url.reveal());
  }
}
