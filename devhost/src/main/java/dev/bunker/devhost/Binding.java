package dev.bunker.devhost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/** One entry of a function.json {@code bindings} array, with {@code %setting%} expressions resolved. */
record Binding(String type, String direction, String name, JsonNode json, Map<String, String> settings) {
  static final String HTTP_TRIGGER = "httpTrigger";
  static final String HTTP = "http";
  static final String QUEUE_TRIGGER = "queueTrigger";
  static final String QUEUE = "queue";
  static final String TIMER_TRIGGER = "timerTrigger";
  static final Set<String> TRIGGERS = Set.of(HTTP_TRIGGER, QUEUE_TRIGGER, TIMER_TRIGGER);
  static final Set<String> OUTPUTS = Set.of(HTTP, QUEUE);

  boolean isTrigger() {
    return TRIGGERS.contains(type);
  }

  boolean isOutput() {
    return "out".equalsIgnoreCase(direction);
  }

  /** A string property, with {@code %NAME%} replaced by the app setting NAME (as the Functions host does). */
  String text(String property, String fallback) {
    JsonNode value = json.get(property);
    if (value == null || value.isNull()) {
      return fallback;
    }
    return resolve(value.asText());
  }

  boolean flag(String property) {
    return json.path(property).asBoolean(false);
  }

  private String resolve(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf('%', i);
      int end = start < 0 ? -1 : text.indexOf('%', start + 1);
      if (end < 0) {
        out.append(text, i, text.length());
        break;
      }
      String setting = text.substring(start + 1, end);
      String value = settings.get(setting);
      if (value == null) {
        throw new HostConfigurationException("Binding '" + name + "' refers to app setting %" + setting
            + "%, which is not set (local.settings.json Values or environment)");
      }
      out.append(text, i, start).append(value);
      i = end + 1;
    }
    return out.toString();
  }

  /**
   * The connection string named by the binding's {@code connection} property (default
   * AzureWebJobsStorage; {@code AzureWebJobs<name>} also accepted, as the host does).
   */
  String connectionString() {
    String setting = text("connection", "");
    if (setting.isEmpty()) {
      setting = "AzureWebJobsStorage";
    }
    String value = settings.get(setting);
    if (value == null || value.isBlank()) {
      value = settings.get("AzureWebJobs" + setting);
    }
    if (value == null || value.isBlank()) {
      throw new HostConfigurationException("Binding '" + name + "' uses connection '" + setting
          + "', but no app setting of that name holds a connection string (identity-based connections"
          + " are not supported locally)");
    }
    return value;
  }
}
