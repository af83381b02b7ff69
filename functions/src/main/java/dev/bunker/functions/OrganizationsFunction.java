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
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.RegisterOrganization;
import java.util.Optional;

/** Registering organizations and setting their policies. */
public final class OrganizationsFunction {
  @FunctionName("registerOrganization")
  public HttpResponseMessage register(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "organizations",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.change(req, AuditAction.REGISTER_ORGANIZATION, body -> {
      Organization organization =
          App.bunker().organizations().register(Http.readBody(body, RegisterOrganization.class));
      return Reply.created("/api/organizations/" + organization.id(), organization);
    });
  }

  @FunctionName("listOrganizations")
  public HttpResponseMessage list(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, body -> Reply.ok(App.bunker().organizations().list()));
  }

  @FunctionName("getOrganization")
  public HttpResponseMessage get(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().organizations().get(organizationId)));
  }

  @FunctionName("deleteOrganization")
  public HttpResponseMessage delete(
      @HttpTrigger(name = "req", methods = {HttpMethod.DELETE}, route = "organizations/{organizationId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.DELETE_ORGANIZATION, body -> {
      App.bunker().organizations().delete(organizationId);
      return Reply.noContent();
    });
  }

  @FunctionName("getPolicy")
  public HttpResponseMessage policy(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}/policy",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().organizations().policy(organizationId)));
  }

  @FunctionName("replacePolicy")
  public HttpResponseMessage replacePolicy(
      @HttpTrigger(name = "req", methods = {HttpMethod.PUT}, route = "organizations/{organizationId}/policy",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.REPLACE_POLICY, body -> Reply.ok(
        App.bunker().organizations().replacePolicy(organizationId, Http.readBody(body, PolicyInput.class))));
  }
}
