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
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.run.Runs;
import java.util.Optional;

/** Runs: start one now, list them, read one with its per-repository results. */
public final class BackupsFunction {
  @FunctionName("startBackup")
  public HttpResponseMessage start(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "organizations/{organizationId}/backups",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.START_BACKUP, body -> {
      RunSelection selection = body == null ? null : Http.readBody(body, RunSelection.class);
      RunReport run = App.bunker().runs().startNow(organizationId, selection);
      return Reply.accepted("/api/organizations/" + organizationId + "/backups/" + run.id(), run);
    });
  }

  @FunctionName("listBackups")
  public HttpResponseMessage list(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}/backups",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> {
      int top = Http.intQuery(req, "top", Runs.DEFAULT_TOP, 1, Runs.MAX_TOP);
      return Reply.ok(App.bunker().runs().newest(organizationId, top));
    });
  }

  @FunctionName("getBackup")
  public HttpResponseMessage get(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}/backups/{runId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("runId") String runId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().runs().get(organizationId, runId)));
  }
}
