package dev.bunker.store;

import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where a backup fetches from: a smart-HTTP git URL, a callback giving the HTTP headers to send
 * (e.g. {@code Authorization}) and the allow-list of URLs that may be sent a request. The
 * callback is asked once per backup, so a short-lived token can be minted just in time. Headers
 * never go into the URL, logs or exceptions. Every request, redirects included, must be on the
 * allow-list and on the URL's host, or the backup fails before anything is sent there.
 */
public record GitSource(URI url, Supplier<Map<String, String>> headers, Predicate<URI> allowList) {
  public GitSource {
    GitRemote.check(url, headers, allowList);
  }

  /** A source whose requests may go anywhere on the URL's host. */
  public GitSource(URI url, Supplier<Map<String, String>> headers) {
    this(url, headers, any -> true);
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
