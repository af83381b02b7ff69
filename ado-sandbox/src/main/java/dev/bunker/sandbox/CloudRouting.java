package dev.bunker.sandbox;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The sandbox's stand-in for DNS and TLS: sends requests for Azure DevOps Services' hosts to the
 * sandbox's loopback address, saying with {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}
 * which host and scheme they were addressed to. Everything else about the request (method, body,
 * headers, timeout) is the caller's; other hosts go out unchanged.
 */
final class CloudRouting extends HttpClient {

  private final Supplier<String> sandboxUrl;
  private final HttpClient delegate = HttpClient.newBuilder()
      .version(Version.HTTP_1_1)
      .followRedirects(Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  CloudRouting(Supplier<String> sandboxUrl) {
    this.sandboxUrl = sandboxUrl;
  }

  private HttpRequest routed(HttpRequest request) {
    URI uri = request.uri();
    if (ServiceHosts.addressed(uri.getHost()).isEmpty()) {
      return request;
    }
    URI local = URI.create(sandboxUrl.get() + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    return HttpRequest.newBuilder(request, (name, value) -> true).uri(local)
        .header("X-Forwarded-Host", uri.getHost())
        .header("X-Forwarded-Proto", uri.getScheme())
        .build();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(routed(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return delegate.sendAsync(routed(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return delegate.sendAsync(routed(request), handler, pushPromiseHandler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
