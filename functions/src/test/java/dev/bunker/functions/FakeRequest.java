package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An HTTP request as the Java worker hands it to a function, for calling function methods directly. */
final class FakeRequest implements HttpRequestMessage<Optional<String>> {
  private final HttpMethod method;
  private final URI uri;
  private final String body;
  private final Map<String, String> headers = new HashMap<>();
  private final Map<String, String> query = new HashMap<>();

  private FakeRequest(HttpMethod method, String path, String body) {
    this.method = method;
    this.uri = URI.create("http://localhost/api/" + path);
    this.body = body;
    if (body != null) {
      headers.put("content-type", "application/json");
    }
  }

  static FakeRequest get(String path) {
    return new FakeRequest(HttpMethod.GET, path, null);
  }

  static FakeRequest delete(String path) {
    return new FakeRequest(HttpMethod.DELETE, path, null);
  }

  static FakeRequest post(String path, String body) {
    return new FakeRequest(HttpMethod.POST, path, body);
  }

  /** A request of any method; {@code body} is dropped for GET. */
  static FakeRequest of(HttpMethod method, String path, String body) {
    return new FakeRequest(method, path, method == HttpMethod.GET ? null : body);
  }

  static FakeRequest put(String path, String body) {
    return new FakeRequest(HttpMethod.PUT, path, body);
  }

  FakeRequest header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  FakeRequest withoutHeader(String name) {
    headers.remove(name.toLowerCase(Locale.ROOT));
    return this;
  }

  FakeRequest query(String name, String value) {
    query.put(name, value);
    return this;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public HttpMethod getHttpMethod() {
    return method;
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public Map<String, String> getQueryParameters() {
    return query;
  }

  @Override
  public Optional<String> getBody() {
    return Optional.ofNullable(body);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
    return createResponseBuilder((HttpStatusType) status);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
    return new Response.Builder(status);
  }

  /** The response the worker would send. */
  record Response(HttpStatusType getStatus, Map<String, String> headers, Object getBody)
      implements HttpResponseMessage {
    @Override
    public String getHeader(String name) {
      return headers.get(name);
    }

    static final class Builder implements HttpResponseMessage.Builder {
      private HttpStatusType status;
      private final Map<String, String> headers = new HashMap<>();
      private Object body;

      Builder(HttpStatusType status) {
        this.status = status;
      }

      @Override
      public HttpResponseMessage.Builder status(HttpStatusType status) {
        this.status = status;
        return this;
      }

      @Override
      public HttpResponseMessage.Builder header(String name, String value) {
        headers.put(name, value);
        return this;
      }

      @Override
      public HttpResponseMessage.Builder body(Object body) {
        this.body = body;
        return this;
      }

      @Override
      public HttpResponseMessage build() {
        return new Response(status, Map.copyOf(headers), body);
      }
    }
  }
}
