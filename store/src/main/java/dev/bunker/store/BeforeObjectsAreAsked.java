package dev.bunker.store;

import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

/**
 * Runs a step before a fetch's first request to {@code git-upload-pack} goes out: the request
 * that asks the source for objects. Over smart HTTP a fetch first reads the refs ({@code GET
 * info/refs}) and asks for objects with a {@code POST} only when the repository lacks some, so a
 * fetch that needs nothing never gets there. (Under protocol v2 the ref listing is a {@code POST}
 * too, and the step runs before it; Azure DevOps speaks v0.)
 */
final class BeforeObjectsAreAsked implements HttpConnectionFactory {
  /** The step; it may fail the fetch. */
  interface Step {
    void run() throws IOException;
  }

  private final HttpConnectionFactory delegate;
  private final Step step;

  BeforeObjectsAreAsked(HttpConnectionFactory delegate, Step step) {
    this.delegate = delegate;
    this.step = step;
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return before(url, delegate.create(url));
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    return before(url, delegate.create(url, proxy));
  }

  // after the delegate's checks: a request it refuses needs no step
  private HttpConnection before(URL url, HttpConnection connection) throws IOException {
    if (url.getPath().endsWith("/git-upload-pack")) {
      step.run();
    }
    return connection;
  }
}
