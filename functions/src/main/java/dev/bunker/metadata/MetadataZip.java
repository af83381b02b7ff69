package dev.bunker.metadata;

import dev.bunker.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A project's metadata snapshot as a zip anyone can read without Bunker: {@code snapshot.json} (what
 * it holds, counts by kind, what was not backed up and why), then one file per document, {@code
 * <kind>/<id>.json}, and attachments as they were uploaded, {@code attachment/<id>} (ids that make
 * the same file name are numbered: {@code <id>~2.json}). Written one
 * document at a time, so a large project never sits in memory.
 */
public final class MetadataZip {
  private MetadataZip() {}

  public static void write(MetadataStore store, MetadataSnapshot snapshot, OutputStream out) {
    try {
      ZipOutputStream zip = new ZipOutputStream(out);
      Set<String> taken = new HashSet<>();
      zip.putNextEntry(new ZipEntry(distinct("snapshot", ".json", taken)));
      zip.write(Json.write(snapshot.summary()).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      for (MetadataKind kind : MetadataKind.values()) {
        String suffix = kind.binary() ? "" : ".json";
        for (Map.Entry<String, String> document : snapshot.entries(kind).entrySet()) {
          zip.putNextEntry(new ZipEntry(distinct(kind.key() + "/" + fileName(document.getKey()), suffix, taken)));
          if (kind == MetadataKind.ATTACHMENT) {
            try (java.io.InputStream content = store.open(snapshot.organizationId(), document.getValue())) {
              content.transferTo(zip);
            }
          } else {
            zip.write(store.object(snapshot.organizationId(), document.getValue()));
          }
          zip.closeEntry();
        }
      }
      zip.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code name + suffix}, or when that is taken (two ids that {@link #fileName sanitize} alike, or
   * differ only in case, which Windows and macOS do not tell apart) {@code name~2 + suffix} and so on:
   * sanitized names hold no {@code ~}, so a numbered name is never another document's.
   */
  private static String distinct(String name, String suffix, Set<String> taken) {
    String candidate = name + suffix;
    for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
      candidate = name + "~" + n + suffix;
    }
    return candidate;
  }

  /** A document id as a path inside the zip: its own folders ({@code <repositoryId>/<pullRequestId>}), never outside. */
  static String fileName(String id) {
    String safe = id.replaceAll("[^A-Za-z0-9._/-]", "_").replaceAll("/+", "/").replaceAll("^/|/$", "");
    return safe.replaceAll("(^|/)\\.\\.?(?=/|$)", "$1_");
  }
}
