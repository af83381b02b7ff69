package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.App;
import dev.bunker.app.Health;
import dev.bunker.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/health}: 200 when storage, queues and the secret store answer, 503 when one does
 * not. Anyone may ask (load balancers, uptime probes) and learns only up or down; an admin also
 * gets the version and what each check found.
 */
public final class HealthFunction {
  @FunctionName("health")
  public HttpResponseMessage health(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "health",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    Health health = App.health();
    Object body = Http.isAdmin(req) ? health : Map.of("status", health.status());
    return req.createResponseBuilder(health.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .header("Content-Type", "application/json")
        .header("Cache-Control", "no-store")
        .body(Json.write(body))
        .build();
  }
}
