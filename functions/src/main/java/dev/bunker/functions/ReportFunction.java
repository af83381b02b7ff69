package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.App;
import java.util.Optional;

/** The protection report: is every repository and metadata scope backed up within its policy. */
public final class ReportFunction {
  @FunctionName("getReport")
  public HttpResponseMessage all(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "report",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, body -> Reply.ok(App.bunker().reports().all()));
  }

  @FunctionName("getOrganizationReport")
  public HttpResponseMessage organization(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}/report",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().reports().of(organizationId)));
  }
}
