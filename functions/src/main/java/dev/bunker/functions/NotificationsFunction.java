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
import dev.bunker.core.notify.NotificationSettingsInput;
import java.util.Optional;

/** An organization's notification targets (Teams, Slack, generic webhooks): read, replace, test. */
public final class NotificationsFunction {
  @FunctionName("getNotifications")
  public HttpResponseMessage get(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "organizations/{organizationId}/notifications",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.handle(req, body -> Reply.ok(App.bunker().notifications().targets(organizationId)));
  }

  @FunctionName("putNotifications")
  public HttpResponseMessage put(
      @HttpTrigger(name = "req", methods = {HttpMethod.PUT}, route = "organizations/{organizationId}/notifications",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.REPLACE_NOTIFICATIONS, body -> Reply.ok(App.bunker().notifications()
        .configure(organizationId, Http.readBody(body, NotificationSettingsInput.class))));
  }

  @FunctionName("testNotifications")
  public HttpResponseMessage test(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST},
          route = "organizations/{organizationId}/notifications/test",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("organizationId") String organizationId) {
    return Http.change(req, AuditAction.SEND_TEST_NOTIFICATION,
        body -> Reply.ok(App.bunker().notifications().sendTest(organizationId)));
  }
}
