package dev.bunker.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The storage requests an app's worker sent, read from a flight recording of the app's own events
 * ({@code dev.bunker.azure.StorageRequests}: service, method, the table, queue or kind of blob),
 * which the worker records with nothing else enabled. Requests the Functions host sends itself
 * (queue polling, its own leases) are not among them.
 */
final class StorageRequestLog {
  private static final String EVENT = "dev.bunker.StorageRequest";
  private static final String SETTINGS = """
      <?xml version="1.0" encoding="UTF-8"?>
      <configuration version="2.0" label="Bunker's storage requests">
        <event name="%s"><setting name="enabled">true</setting></event>
      </configuration>
      """.formatted(EVENT);

  private final List<Request> requests;

  private StorageRequestLog(List<Request> requests) {
    this.requests = requests;
  }

  /** One request: when it started, its service, and {@code service resource method}. */
  private record Request(Instant start, String service, String name) {}

  /** The worker JVM option that records the app's storage requests, and only them, into {@code file}. */
  static String workerOption(Path file) throws IOException {
    Path settings = file.resolveSibling("storage-requests.jfc");
    Files.writeString(settings, SETTINGS);
    return " -XX:StartFlightRecording=settings=" + settings.toAbsolutePath() + ",filename=" + file.toAbsolutePath();
  }

  /** What the worker wrote into {@code file} when it stopped; none if it wrote nothing. */
  static StorageRequestLog read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new StorageRequestLog(List.of());
    }
    return new StorageRequestLog(RecordingFile.readAllEvents(file).stream()
        .filter(event -> event.getEventType().getName().equals(EVENT))
        .map(StorageRequestLog::request).toList());
  }

  private static Request request(RecordedEvent event) {
    return new Request(event.getStartTime(), event.getString("service"),
        event.getString("service") + " " + event.getString("resource") + " " + event.getString("method"));
  }

  /** Whether the app records its requests at all (an app built before it did does not). */
  boolean isEmpty() {
    return requests.isEmpty();
  }

  /** Requests that started in [{@code from}, {@code to}), counted by service. */
  Map<String, Long> byService(Instant from, Instant to) {
    return count(from, to, Request::service);
  }

  /** Requests that started in [{@code from}, {@code to}), by service, resource and method, per repository. */
  String perRepository(Instant from, Instant to, int repositories) {
    return count(from, to, Request::name).entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / (double) repositories))
        .collect(Collectors.joining(", "));
  }

  private Map<String, Long> count(Instant from, Instant to, java.util.function.Function<Request, String> key) {
    return requests.stream().filter(r -> !r.start().isBefore(from) && r.start().isBefore(to))
        .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }
}
