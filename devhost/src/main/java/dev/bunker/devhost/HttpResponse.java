package dev.bunker.devhost;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code HttpResponseMessage} a function builds with {@code request.createResponseBuilder}. */
record HttpResponse(HttpStatusType status, Map<String, String> headers, Object body) implements HttpResponseMessage {

  @Override
  public HttpStatusType getStatus() {
    return status;
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name); // case-sensitive, as in the Java worker
  }

  @Override
  public Object getBody() {
    return body;
  }

  static final class Builder implements HttpResponseMessage.Builder {
    private HttpStatusType status = HttpStatus.OK;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Object body;

    @Override
    public Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponse build() {
      return new HttpResponse(status, Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
    }
  }
}
