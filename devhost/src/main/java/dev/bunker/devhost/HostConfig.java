package dev.bunker.devhost;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What devhost takes from host.json: the HTTP route prefix and the queue trigger options. */
record HostConfig(String routePrefix, QueueOptions queues) {

  /**
   * host.json {@code extensions.queues}. {@code visibilityTimeout} is the delay before a failed
   * message is retried (not the lease held while a function runs), as in the Functions host.
   */
  record QueueOptions(int batchSize, int newBatchThreshold, Duration maxPollingInterval,
      Duration visibilityTimeout, int maxDequeueCount, boolean base64) {}

  static HostConfig load(Path appDir) {
    Path file = appDir.resolve("host.json");
    if (!Files.isRegularFile(file)) {
      throw new HostConfigurationException("No host.json in " + appDir + ": is this a packaged function app"
          + " (target/azure-functions/<app>)?");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new HostConfigurationException("host.json is not valid JSON: " + file, e);
    }
    JsonNode extensions = root.path("extensions");
    String routePrefix = extensions.path("http").path("routePrefix").asText("api");
    routePrefix = routePrefix.replaceAll("^/+|/+$", "");
    JsonNode queues = extensions.path("queues");
    int batchSize = queues.path("batchSize").asInt(16);
    if (batchSize < 1 || batchSize > 32) {
      throw new HostConfigurationException("host.json extensions.queues.batchSize must be 1..32, was " + batchSize);
    }
    QueueOptions options = new QueueOptions(
        batchSize,
        queues.path("newBatchThreshold").asInt(batchSize / 2),
        timeSpan(queues, "maxPollingInterval", Duration.ofMinutes(1)),
        timeSpan(queues, "visibilityTimeout", Duration.ZERO),
        queues.path("maxDequeueCount").asInt(5),
        messageEncoding(queues.path("messageEncoding").asText("base64")));
    if (options.maxPollingInterval().compareTo(PollingBackoff.MINIMUM) < 0) {
      throw new HostConfigurationException("host.json extensions.queues.maxPollingInterval must be at least 100 ms");
    }
    return new HostConfig(routePrefix, options);
  }

  /** {@code messageEncoding}: base64 (the default) or none. */
  private static boolean messageEncoding(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "base64" -> true;
      case "none" -> false;
      default -> throw new HostConfigurationException(
          "host.json extensions.queues.messageEncoding must be base64 or none, was " + value);
    };
  }

  private static final Pattern TIME_SPAN =
      Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,7}))?");

  /** Parses a .NET TimeSpan as host.json writes it: {@code [d.]hh:mm:ss[.fffffff]}. */
  static Duration parseTimeSpan(String text) {
    Matcher m = TIME_SPAN.matcher(text.trim());
    if (!m.matches()) {
      throw new HostConfigurationException("Not a time span (expected [d.]hh:mm:ss[.fff]): " + text);
    }
    Duration d = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
        .plusHours(Long.parseLong(m.group(2)))
        .plusMinutes(Long.parseLong(m.group(3)))
        .plusSeconds(Long.parseLong(m.group(4)));
    if (m.group(5) != null) {
      String fraction = (m.group(5) + "000000000").substring(0, 9);
      d = d.plusNanos(Long.parseLong(fraction));
    }
    return d;
  }

  private static Duration timeSpan(JsonNode node, String field, Duration fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    try {
      return parseTimeSpan(value.asText());
    } catch (HostConfigurationException e) {
      throw new HostConfigurationException("host.json extensions.queues." + field + ": " + e.getMessage());
    }
  }
}
