package dev.bunker.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of one path segment or query value, as a browser or client sends it. */
public final class UrlEncoding {
  private UrlEncoding() {}

  /** {@code value} encoded as UTF-8, a space as {@code %20} (valid in paths and queries alike). */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
