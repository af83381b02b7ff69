package dev.bunker.store;

import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where a restore pushes to: a smart-HTTP git URL, a callback giving the HTTP headers to send,
 * and which of the snapshot's refs to push (a server may refuse some namespaces, e.g. pull request
 * refs). A push only creates refs: see {@link BackupRepository#push}. Every request, redirects
 * included, must be on the allow-list and on the URL's host, as for a {@link GitSource}.
 */
public record GitTarget(URI url, Supplier<Map<String, String>> headers, Predicate<String> refs,
    Predicate<URI> allowList) {
  public GitTarget {
    GitRemote.check(url, headers, allowList);
    if (refs == null) {
      throw new IllegalArgumentException("a git target needs a ref filter");
    }
  }

  /** A target receiving every ref of the snapshot, its requests going anywhere on the URL's host. */
  public static GitTarget of(URI url, Supplier<Map<String, String>> headers) {
    return new GitTarget(url, headers, ref -> true, any -> true);
  }

  @Override
  public String toString() {
    return "GitTarget[" + url + "]";
  }
}
