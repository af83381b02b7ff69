package dev.bunker.webhook;

import dev.bunker.core.notify.Notification;
import dev.bunker.core.notify.Notifier;
import dev.bunker.core.notify.Webhook;
import dev.bunker.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts notifications to webhooks with the JDK HTTP client: only to URLs {@link WebhookHosts}
 * admits (checked before each send), following no redirect (a 3xx is a failure, so a webhook cannot
 * point Bunker elsewhere), within {@link #TIMEOUT}. Generic webhooks get the headers of {@link
 * #sign}. A failure says what happened (status, timeout, refused connection), never the URL.
 */
public final class WebhookNotifier implements Notifier {
  public static final String SIGNATURE_HEADER = "X-Bunker-Signature";
  public static final String TIMESTAMP_HEADER = "X-Bunker-Timestamp";
  public static final String EVENT_HEADER = "X-Bunker-Event";
  public static final String DELIVERY_HEADER = "X-Bunker-Delivery";
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WebhookHosts hosts;
  private final HttpClient http;
  private final Clock clock;

  public WebhookNotifier(WebhookHosts hosts, HttpClient http, Clock clock) {
    this.hosts = hosts;
    this.http = http;
    this.clock = clock;
  }

  /** A client that follows no redirect and connects within {@link #TIMEOUT}. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
  }

  @Override
  public Optional<String> refusal(URI url) {
    return hosts.refusal(url);
  }

  @Override
  public void deliver(Webhook webhook, Notification notification) throws DeliveryException {
    URI url = webhook.uri();
    Optional<String> refusal = hosts.refusal(url);
    if (refusal.isPresent()) {
      throw new DeliveryException("not sent: " + refusal.get());
    }
    String body = switch (webhook.kind()) {
      case TEAMS -> WebhookMessages.teams(notification);
      case SLACK -> WebhookMessages.slack(notification);
      case GENERIC -> WebhookMessages.generic(notification);
    };
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Content-Type", "application/json; charset=utf-8")
        .header(EVENT_HEADER, Json.camelCase(notification.event().name()))
        .header(DELIVERY_HEADER, notification.id())
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (webhook.signingSecret() != null) {
      long timestamp = clock.instant().getEpochSecond();
      request.header(TIMESTAMP_HEADER, Long.toString(timestamp))
          .header(SIGNATURE_HEADER, sign(webhook.signingSecret().reveal(), timestamp, body));
    }
    HttpResponse<Void> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (HttpTimeoutException e) {
      throw new DeliveryException("no answer within " + TIMEOUT.toSeconds() + " seconds");
    } catch (IOException e) {
      throw new DeliveryException("could not reach the webhook (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted");
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new DeliveryException("the webhook answered HTTP " + status
          + (status >= 300 && status < 400 ? " (a redirect, not followed)" : ""));
    }
  }

  /**
   * {@code sha256=} and the hex HMAC-SHA256, keyed with the signing secret, of the timestamp (Unix
   * seconds), a dot and the body: a receiver recomputes it and refuses old timestamps (replays).
   */
  static String sign(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
