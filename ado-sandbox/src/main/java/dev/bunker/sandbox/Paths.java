package dev.bunker.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Path segment encoding for the URLs the sandbox hands out. */
final class Paths {
  private Paths() {}

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
