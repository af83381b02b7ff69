package dev.bunker.store;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a backup fetches from: a smart-HTTP git URL and a callback giving the HTTP headers to send
 * (e.g. {@code Authorization}). The callback is asked once per backup, so a short-lived token can
 * be minted just in time. Headers never go into the URL, logs or exceptions.
 */
public record GitSource(URI url, Supplier<Map<String, String>> headers) {
  public GitSource {
    GitRemote.check(url, headers);
  }

  /** A source that needs no credentials. */
  public static GitSource anonymous(URI url) {
    return new GitSource(url, Map::of);
  }

  @Override
  public String toString() {
    return "GitSource[" + url + "]";
  }
}
