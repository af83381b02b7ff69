package dev.bunker.store;

import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

/**
 * Opens the HTTP connections of one fetch or push, each only after checking where it goes. JGit
 * follows a redirect of the first request ({@code info/refs}) and sends the remote's headers, the
 * credential included, to the new address; checked here hop by hop, a request goes out only to an
 * address on the allow-list and on the remote's own host (an upgrade from http to https allowed,
 * as git allows it), so a redirecting server, proxy or man in the middle collects no credential.
 */
final class RemoteConnections implements HttpConnectionFactory {
  private final HttpConnectionFactory delegate;
  private final URI remote;
  private final Predicate<URI> allowList;
  private final String operation;
  private boolean opened;

  /**
   * @param operation what fails when a request is refused, e.g. "repository x: cannot fetch from
   *     https://…"
   */
  RemoteConnections(HttpConnectionFactory delegate, URI remote, Predicate<URI> allowList,
      String operation) {
    this.delegate = delegate;
    this.remote = remote;
    this.allowList = allowList;
    this.operation = operation;
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    check(url);
    return delegate.create(url);
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    check(url);
    return delegate.create(url, proxy);
  }

  private void check(URL url) {
    URI target;
    try {
      target = url.toURI();
    } catch (URISyntaxException e) {
      throw new RemoteNotAllowedException(operation + ": refused the malformed address "
          + url.getProtocol() + "://" + url.getHost() + "/…");
    }
    Optional<String> refusal = refusal(target);
    if (refusal.isPresent()) {
      // The first request goes to the remote itself; any later one refused is a redirect.
      throw new RemoteNotAllowedException(operation + ": " + (opened ? "redirected to " : "refused to contact ")
          + shown(target) + ", " + refusal.get() + "; nothing was sent there");
    }
    opened = true;
  }

  private Optional<String> refusal(URI target) {
    if (!allowList.test(target)) {
      return Optional.of("which is not on the allow-list");
    }
    if (!onRemoteHost(target)) {
      return Optional.of("another host than " + origin(remote)
          + ", the only one the repository's credential goes to");
    }
    return Optional.empty();
  }

  private boolean onRemoteHost(URI target) {
    if (target.getHost() == null || !target.getHost().equalsIgnoreCase(remote.getHost())) {
      return false;
    }
    String scheme = lower(target.getScheme());
    if (scheme.equals(lower(remote.getScheme()))) {
      return port(target) == port(remote);
    }
    return scheme.equals("https");
  }

  private static String lower(String text) {
    return text == null ? "" : text.toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : lower(uri.getScheme()).equals("https") ? 443 : 80;
  }

  private static String origin(URI uri) {
    return lower(uri.getScheme()) + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /** Where a request went, without user info or query (a redirect may carry a signed token there). */
  private static String shown(URI uri) {
    return origin(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
