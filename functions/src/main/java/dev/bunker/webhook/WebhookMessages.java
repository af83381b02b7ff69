package dev.bunker.webhook;

import dev.bunker.core.model.RunReport;
import dev.bunker.core.notify.Notification;
import dev.bunker.core.notify.NotificationEvent;
import dev.bunker.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A notification as each kind of webhook takes it: the JSON body to post. */
final class WebhookMessages {
  /** The version of the generic document (docs/deploy.md describes it); a change that breaks readers raises it. */
  static final int GENERIC_VERSION = 1;

  private WebhookMessages() {}

  /**
   * A Teams message carrying one Adaptive Card, as Teams incoming webhooks and Workflows' "when a
   * Teams webhook request is received" accept it: {@code type: message} with an attachment of
   * {@code contentType: application/vnd.microsoft.card.adaptive} (Microsoft Learn, "Create an
   * Incoming Webhook", section "Send Adaptive Cards using an Incoming Webhook":
   * https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook).
   */
  static String teams(Notification notification) {
    List<Object> body = new ArrayList<>();
    body.add(ordered("type", "TextBlock", "text", title(notification), "size", "Medium", "weight", "Bolder",
        "wrap", true, "color", failed(notification) ? "Attention" : "Default"));
    List<Object> facts = new ArrayList<>();
    facts(notification).forEach((title, value) -> facts.add(ordered("title", title, "value", value)));
    body.add(ordered("type", "FactSet", "facts", facts));
    if (!notification.failures().isEmpty()) {
      body.add(ordered("type", "TextBlock", "text", "Failures", "weight", "Bolder", "wrap", true));
      for (Notification.Failure failure : notification.failures()) {
        body.add(ordered("type", "TextBlock", "text", "**" + what(failure) + "**: " + failure.reason(), "wrap", true,
            "spacing", "Small"));
      }
    }
    Map<String, Object> card = ordered("$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
        "type", "AdaptiveCard", "version", "1.4", "body", body);
    if (notification.link() != null) {
      card.put("actions", List.of(ordered("type", "Action.OpenUrl", "title", "Open in Bunker", "url",
          notification.link())));
    }
    return Json.write(ordered("type", "message", "attachments", List.of(ordered(
        "contentType", "application/vnd.microsoft.card.adaptive", "content", card))));
  }

  /**
   * A Slack incoming webhook message: {@code text} (the notification's fallback) and Block Kit
   * {@code blocks} (Slack, "Sending messages using incoming webhooks":
   * https://api.slack.com/messaging/webhooks). {@code &}, {@code <} and {@code >} are escaped, as
   * Slack's mrkdwn requires.
   */
  static String slack(Notification notification) {
    List<Object> blocks = new ArrayList<>();
    blocks.add(ordered("type", "header", "text", ordered("type", "plain_text", "text", title(notification))));
    StringBuilder facts = new StringBuilder();
    facts(notification)
        .forEach((title, value) -> facts.append("*").append(title).append(":* ").append(escaped(value)).append('\n'));
    blocks.add(ordered("type", "section", "text", ordered("type", "mrkdwn", "text", facts.toString().strip())));
    if (!notification.failures().isEmpty()) {
      StringBuilder failures = new StringBuilder("*Failures*\n");
      notification.failures().forEach(failure -> failures.append("• *").append(escaped(what(failure)))
          .append("*: ").append(escaped(failure.reason())).append('\n'));
      blocks.add(ordered("type", "section", "text", ordered("type", "mrkdwn", "text", failures.toString().strip())));
    }
    if (notification.link() != null) {
      blocks.add(ordered("type", "section", "text", ordered("type", "mrkdwn", "text",
          "<" + notification.link() + "|Open in Bunker>")));
    }
    return Json.write(ordered("text", title(notification), "blocks", blocks));
  }

  /** Bunker's own document for generic webhooks (schema in docs/deploy.md, "Notifications"). */
  static String generic(Notification notification) {
    Map<String, Object> document = ordered("version", GENERIC_VERSION, "id", notification.id(),
        "event", notification.event(), "at", notification.at(),
        "organization", ordered("id", notification.organizationId(), "url", notification.organizationUrl()));
    if (notification.runId() != null) {
      document.put("run", ordered("id", notification.runId(), "status", notification.status(),
          "counts", notification.counts()));
    }
    if (notification.runs() != null) {
      document.put("runs", notification.runs());
    }
    document.put("failures", notification.failures());
    if (notification.link() != null) {
      document.put("link", notification.link());
    }
    return Json.write(document);
  }

  private static String title(Notification notification) {
    return switch (notification.event()) {
      case RUN_FAILED -> "Bunker: backup failed";
      case RUN_PARTIALLY_FAILED -> "Bunker: backup partially failed";
      case RUN_SUCCEEDED -> "Bunker: backup succeeded";
      case DAILY_SUMMARY -> "Bunker: daily backup summary";
      case TEST -> "Bunker: test notification";
    } + " (" + notification.organizationUrl() + ")";
  }

  private static boolean failed(Notification notification) {
    return notification.event() == NotificationEvent.RUN_FAILED
        || notification.event() == NotificationEvent.RUN_PARTIALLY_FAILED || !notification.failures().isEmpty();
  }

  private static Map<String, String> facts(Notification notification) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("Organization", notification.organizationUrl());
    if (notification.runId() != null) {
      facts.put("Run", notification.runId());
      facts.put("Status", notification.status().name().toLowerCase(Locale.ROOT).replace('_', ' '));
      RunReport.Counts counts = notification.counts();
      facts.put("Backups", counts.succeeded() + " succeeded, " + counts.failed() + " failed of " + counts.total()
          + (counts.metadata() == 0 ? "" : " (" + counts.metadata() + " projects' metadata)"));
    }
    if (notification.runs() != null) {
      Notification.RunTotals runs = notification.runs();
      facts.put("Runs in the last 24 hours", runs.total() + ": " + runs.succeeded() + " succeeded, "
          + runs.partiallySucceeded() + " partially, " + runs.failed() + " failed, " + runs.unfinished()
          + " unfinished");
    }
    if (notification.event() == NotificationEvent.TEST) {
      facts.put("Message", "Notifications from Bunker reach this channel.");
    }
    facts.put("Time", notification.at().toString());
    return facts;
  }

  private static String what(Notification.Failure failure) {
    if (failure.project() == null) {
      return "listing repositories";
    }
    return failure.repository() == null ? failure.project() + " (metadata)"
        : failure.project() + "/" + failure.repository();
  }

  private static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A map keeping the order of its keys (cards read top to bottom); {@code null} values are left out. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }
}
