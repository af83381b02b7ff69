package dev.bunker.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

public final class HealthFunction {
  @FunctionName("health")
  public HttpResponseMessage health(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "health",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      ExecutionContext context) {
    return req.createResponseBuilder(HttpStatus.OK)
        .header("Content-Type", "application/json")
        .body("{\"status\":\"ok\"}").build();
  }
}
