package dev.bunker.functions;

import dev.bunker.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's static files, read from the classpath folder {@code console/} of the app's jar
 * and kept in memory once read (they are small and never change while the app runs).
 */
final class ConsoleFiles {
  /** One file as served: its bytes, media type and a strong validator derived from the bytes. */
  record File(byte[] content, String contentType, String etag) {}

  /**
   * Path segments a console file may have: letters, digits, dot, dash, underscore, not starting with
   * a dot. This rules out {@code ..}, hidden files, backslashes and anything percent-encoded, so a
   * request can never name a resource outside the console folder.
   */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final int MAX_PATH_LENGTH = 300;
  private static final String INDEX = "index.html";
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "json", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "txt", "text/plain; charset=utf-8",
      // the deploy guide as its text: browsers show text/markdown as a download
      "md", "text/plain; charset=utf-8");

  private final String root;
  private final ClassLoader loader;
  private final Map<String, File> cache = new ConcurrentHashMap<>();

  ConsoleFiles(String root, ClassLoader loader) {
    this.root = root;
    this.loader = loader;
  }

  /**
   * The file at {@code path} below the console folder; an empty or missing path means the console's
   * page. Empty when the path is not a console file, including any attempt to leave the folder.
   */
  Optional<File> find(String path) {
    String relative = path == null || path.isEmpty() || path.equals("/") ? INDEX : path;
    String type = contentType(relative);
    if (type == null || !isPlainPath(relative)) {
      return Optional.empty();
    }
    File cached = cache.get(relative);
    if (cached != null) {
      return Optional.of(cached);
    }
    return load(relative, type).map(file -> {
      cache.putIfAbsent(relative, file);
      return file;
    });
  }

  private Optional<File> load(String relative, String type) {
    try (InputStream in = loader.getResourceAsStream(root + "/" + relative)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] content = in.readAllBytes();
      return Optional.of(new File(content, type, etag(content)));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read console file " + relative, e);
    }
  }

  private static boolean isPlainPath(String path) {
    if (path.length() > MAX_PATH_LENGTH) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Null for names without a known extension: directories and unexpected files are not served. */
  private static String contentType(String path) {
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    return dot > slash + 1 ? CONTENT_TYPES.get(path.substring(dot + 1)) : null;
  }

  private static String etag(byte[] content) {
    return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(content)).substring(0, 22)
        + "\"";
  }
}
