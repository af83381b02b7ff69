package dev.bunker.metadata;

import dev.bunker.store.blob.Blobs;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a restore has made in its target so far, per kind: the source's id to the id the target gave
 * it. A restore run again (its queue message delivered again after its function was stopped) looks
 * here first and makes nothing twice. A stored ledger keeps each entry as an empty blob whose name
 * holds it ({@code <prefix><kind>/<source id>=<target id>}, both URL-encoded), written right after
 * the target made the thing, so loading it is one listing and recording is one write-once blob.
 */
public final class RestoreLedger {
  private final ContentObjects blobs;
  private final String prefix;
  private final Map<String, Map<String, String>> made = new ConcurrentHashMap<>();

  private RestoreLedger(ContentObjects blobs, String prefix) {
    this.blobs = blobs;
    this.prefix = prefix;
  }

  /** A ledger kept in memory only: a restore that is never run again. */
  public static RestoreLedger inMemory() {
    return new RestoreLedger(null, null);
  }

  /** The ledger stored under {@code prefix}, with what earlier runs recorded. */
  static RestoreLedger stored(ContentObjects blobs, String prefix) {
    RestoreLedger ledger = new RestoreLedger(blobs, prefix);
    for (Blobs.BlobInfo blob : blobs.list(prefix)) {
      String entry = blob.name().substring(prefix.length());
      int slash = entry.indexOf('/');
      int equals = entry.lastIndexOf('=');
      if (slash > 0 && equals > slash) {
        ledger.remember(decode(entry.substring(0, slash)), decode(entry.substring(slash + 1, equals)),
            decode(entry.substring(equals + 1)));
      }
    }
    return ledger;
  }

  /** The target's id of what was made from source {@code sourceId} of {@code kind}, if it was made. */
  public Optional<String> find(String kind, String sourceId) {
    return Optional.ofNullable(made.getOrDefault(kind, Map.of()).get(sourceId));
  }

  /** Records that the target made {@code sourceId} of {@code kind} as {@code targetId}. */
  public void record(String kind, String sourceId, String targetId) {
    if (blobs != null) {
      blobs.createIfAbsent(prefix + encode(kind) + "/" + encode(sourceId) + "=" + encode(targetId), new byte[0]);
    }
    remember(kind, sourceId, targetId);
  }

  /** Everything of {@code kind} that was made: source id to target id. */
  public Map<String, String> entries(String kind) {
    return Map.copyOf(made.getOrDefault(kind, Map.of()));
  }

  /** How many of each kind were made, over every run of the restore. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    made.forEach((kind, entries) -> counts.put(kind, entries.size()));
    return counts;
  }

  private void remember(String kind, String sourceId, String targetId) {
    made.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(sourceId, targetId);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
