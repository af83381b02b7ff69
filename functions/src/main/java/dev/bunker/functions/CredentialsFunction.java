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
import dev.bunker.core.model.CreateCredential;
import dev.bunker.core.model.Credential;
import java.util.Optional;

/** The credentials list ("password manager"): secrets go in, only names come out. */
public final class CredentialsFunction {
  @FunctionName("createCredential")
  public HttpResponseMessage create(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "credentials",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.change(req, AuditAction.CREATE_CREDENTIAL, body -> {
      Credential credential = App.bunker().credentials().create(Http.readBody(body, CreateCredential.class));
      return Reply.created("/api/credentials/" + credential.id(), credential);
    });
  }

  @FunctionName("listCredentials")
  public HttpResponseMessage list(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "credentials",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return Http.handle(req, body -> Reply.ok(App.bunker().credentials().list()));
  }

  @FunctionName("deleteCredential")
  public HttpResponseMessage delete(
      @HttpTrigger(name = "req", methods = {HttpMethod.DELETE}, route = "credentials/{credentialId}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("credentialId") String credentialId) {
    return Http.change(req, AuditAction.DELETE_CREDENTIAL, body -> {
      App.bunker().credentials().delete(credentialId);
      return Reply.noContent();
    });
  }
}
