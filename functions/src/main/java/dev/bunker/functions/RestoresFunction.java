package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.App;
import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.Restore;
import dev.bunker.core.model.RestoreRequest;
import java.util.Optional;

/** Requesting a restore and following it. */
public final class RestoresFunction {
  @FunctionName("requestRestore")
  public HttpResponseMessage request(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "organizations/{organizationId}/restores",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.REQUEST_RESTORE, body -> {
      Restore restore = App.bunker().restores().request(organizationId, Http.readBody(body, RestoreRequest.class));
      return Reply.accepted("/api/organizations/" + organizationId + "/restores/" + restore.id(), restore);
    });
  }

  @FunctionName("getRestore")
  public HttpResponseMessage get(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/restores/{restoreId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("restoreId") String restoreId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().restores().get(organizationId, restoreId)));
  }
}
