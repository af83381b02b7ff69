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

/** Known repositories and their snapshots. */
public final class RepositoriesFunction {
  @FunctionName("listRepositories")
  public HttpResponseMessage list(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}/repositories",
          authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().inventory().repositories(organizationId)));
  }

  @FunctionName("listSnapshots")
  public HttpResponseMessage snapshots(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/repositories/{repositoryId}/snapshots",
          authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("repositoryId") String repositoryId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().inventory().snapshots(organizationId, repositoryId)));
  }

  @FunctionName("getSnapshot")
  public HttpResponseMessage snapshot(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/repositories/{repositoryId}/snapshots/{snapshotId}",
          authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("repositoryId") String repositoryId,
      @BindingName("snapshotId") String snapshotId) {
    return Http.handle(req, body ->
        Reply.ok(App.bunker().inventory().snapshot(organizationId, repositoryId, snapshotId)));
  }
}
