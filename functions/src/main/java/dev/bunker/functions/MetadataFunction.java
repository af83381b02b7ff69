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
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.MetadataRestoreRequest;
import java.util.Optional;

/**
 * Which projects have metadata snapshots, a project's snapshots, one as a zip, and restoring one
 * into a project.
 */
public final class MetadataFunction {
  /** How long a client waits before asking again for a zip being written. */

  /** The projects (and the organization itself) that have metadata snapshots, each with its newest. */
  @FunctionName("listMetadataProjects")
  public HttpResponseMessage projects(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/metadata",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().metadataSnapshots().projects(organizationId)));
  }

  @FunctionName("listMetadataSnapshots")
  public HttpResponseMessage list(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/projects/{projectId}/metadata",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("projectId") String projectId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().metadataSnapshots().list(organizationId, projectId)));
  }

  @FunctionName("getMetadataSnapshot")
  public HttpResponseMessage get(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/projects/{projectId}/metadata/{snapshotId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("projectId") String projectId,
      @BindingName("snapshotId") String snapshotId) {
    return Http.handle(req,
        body -> Reply.ok(App.bunker().metadataSnapshots().get(organizationId, projectId, snapshotId)));
  }

  /** The snapshot as a zip: 303 to a short-lived URL of its export blob, or 202 while it is written. */
  @FunctionName("getMetadataSnapshotZip")
  public HttpResponseMessage zip(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/projects/{projectId}/metadata/{snapshotId}/zip",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("projectId") String projectId,
      @BindingName("snapshotId") String snapshotId) {
    return Http.handle(req, body -> {
      ExportStatus export = App.bunker().metadataSnapshots().requestZip(organizationId, projectId, snapshotId);
      String self = "/api/organizations/" + organizationId + "/projects/" + projectId + "/metadata/" + snapshotId
          + "/zip";
      return Reply.export(export, self);
    });
  }

  @FunctionName("requestMetadataRestore")
  public HttpResponseMessage restore(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST},
          route = "organizations/{organizationId}/metadata-restores",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.REQUEST_METADATA_RESTORE, body -> {
      MetadataRestoreRequest request = Http.readBody(body, MetadataRestoreRequest.class);
      if (request.isDryRun()) {
        return Reply.ok(App.bunker().metadataRestores().plan(organizationId, request));
      }
      MetadataRestoreJob restore = App.bunker().metadataRestores().request(organizationId, request);
      return Reply.accepted("/api/organizations/" + organizationId + "/metadata-restores/" + restore.id(), restore);
    });
  }

  @FunctionName("getMetadataRestore")
  public HttpResponseMessage restoreStatus(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET},
          route = "organizations/{organizationId}/metadata-restores/{restoreId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId,
      @BindingName("restoreId") String restoreId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().metadataRestores().get(organizationId, restoreId)));
  }
}
