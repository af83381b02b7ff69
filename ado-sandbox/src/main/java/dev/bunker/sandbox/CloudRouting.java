package dev.bunker.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The sandbox's stand-in for DNS and TLS: sends requests for Azure DevOps Services' hosts to the
 * sandbox's loopback address, saying with {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}
 * which host and scheme they were addressed to. Everything else about the request (method, body,
 * headers, timeout) is the caller's; other hosts go out unchanged.
 */
final class CloudRouting extends ForwardingHttpClient {

  private final Supplier<String> sandboxUrl;

  CloudRouting(Supplier<String> sandboxUrl) {
    super(HttpClient.newBuilder()
        .version(Version.HTTP_1_1)
        .followRedirects(Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build());
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
    return super.send(routed(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return super.sendAsync(routed(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return super.sendAsync(routed(request), handler, pushPromiseHandler);
  }
}
