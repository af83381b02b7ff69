package dev.bunker.devhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code local.settings.json}: its {@code Values} become the app's environment (the real
 * environment wins, as with Core Tools), and {@code Host.LocalHttpPort} picks the port.
 */
record LocalSettings(Map<String, String> values, Optional<Integer> localHttpPort) {

  static LocalSettings read(Path file) {
    if (!Files.isRegularFile(file)) {
      return new LocalSettings(Map.of(), Optional.empty());
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new HostConfigurationException(file + " is not valid JSON: " + e.getMessage());
    }
    if (root.path("IsEncrypted").asBoolean(false)) {
      throw new HostConfigurationException(file + " is encrypted (IsEncrypted: true); devhost reads plain values only");
    }
    Map<String, String> values = new LinkedHashMap<>();
    root.path("Values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    JsonNode port = root.path("Host").path("LocalHttpPort");
    return new LocalSettings(Map.copyOf(values), port.isInt() ? Optional.of(port.asInt()) : Optional.empty());
  }

  /** The app's environment: these values, overridden by the process environment. */
  Map<String, String> environment(Map<String, String> processEnvironment) {
    Map<String, String> merged = new LinkedHashMap<>(values);
    merged.putAll(processEnvironment);
    return merged;
  }

  /**
   * Writes {@code target} from {@code example} with the storage settings pointing at a local
   * emulator ({@code AzureWebJobsStorage} and {@code BACKUP_STORAGE}).
   */
  static void derive(Path example, Path target, String storageConnectionString) {
    try {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(example.toFile());
      ObjectNode values = root.has("Values") ? (ObjectNode) root.get("Values") : root.putObject("Values");
      values.put("AzureWebJobsStorage", storageConnectionString);
      values.put("BACKUP_STORAGE", storageConnectionString);
      Files.writeString(target, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target + " from " + example, e);
    }
  }
}
