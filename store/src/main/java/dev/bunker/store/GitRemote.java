package dev.bunker.store;

import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Checks shared by {@link GitSource} and {@link GitTarget}. */
final class GitRemote {
  private GitRemote() {}

  static void check(URI url, Supplier<Map<String, String>> headers, Predicate<URI> allowList) {
    if (url == null || headers == null || allowList == null) {
      throw new IllegalArgumentException("a git remote needs a URL, a headers callback and an allow-list");
    }
    String scheme = url.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("git remote must be an http(s) URL, got scheme "
          + scheme);
    }
    if (url.getRawUserInfo() != null) {
      // Credentials in URLs end up in logs and error messages: they go in headers instead.
      throw new IllegalArgumentException("git remote URL must not carry credentials; pass them"
          + " as headers (host " + url.getHost() + ")");
    }
  }
}
