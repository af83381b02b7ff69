package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.App;
import java.util.Map;
import java.util.Optional;

/** The audit trail, read only: there is no call that changes or deletes an entry. */
public final class AuditFunction {
  @FunctionName("listAudit")
  public HttpResponseMessage list(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "audit",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, body -> {
      Map<String, String> query = req.getQueryParameters();
      return Reply.ok(App.bunker().audit().list(query.get("since"), query.get("top"), query.get("organizationId"),
          query.get("continuation")));
    });
  }
}
