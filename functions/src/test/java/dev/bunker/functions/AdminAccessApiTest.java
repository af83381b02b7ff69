package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.app.AdminAccess;
import dev.bunker.app.App;
import dev.bunker.core.World;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may call the admin API, through the function classes (App Service authentication on, as in Azure). */
class AdminAccessApiTest {
  /** Functions anyone may call: health probes, the OAuth callback (signed state), the console's static files. */
  private static final Set<String> PUBLIC_FUNCTIONS = Set.of("health", "oauthCallback", "console", "consoleFile");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final World world = new World("2026-05-01T10:00:00Z");
  private final OrganizationsFunction organizations = new OrganizationsFunction();

  @BeforeEach
  void wire() {
    App.use(world.bunker);
    App.use(AdminAccess.enforced(true, "Bunker.Admin", Set.of()));
  }

  @AfterEach
  void unwire() {
    App.reset();
  }

  private static String principal(String claimType, String value) {
    String json = "{\"auth_typ\":\"aad\",\"role_typ\":\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\","
        + "\"claims\":[{\"typ\":\"name\",\"val\":\"ada@contoso.com\"},{\"typ\":\"" + claimType + "\",\"val\":\"" + value
        + "\"}]}";
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode problem(HttpResponseMessage response, int status) throws IOException {
    assertThat(response.getStatus().value()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonNode problem = JSON.readTree((String) response.getBody());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    return problem;
  }

  @Test
  void answersAnUnsignedCallerWith401() throws IOException {
    HttpResponseMessage response = organizations.list(FakeRequest.get("organizations"));

    JsonNode problem = problem(response, 401);
    assertThat(problem.path("type").asText()).isEqualTo("urn:bunker:problem:unauthenticated");
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void answersAGarbledPrincipalWith401NotAnInternalError() throws IOException {
    problem(organizations.list(FakeRequest.get("organizations").header("X-MS-CLIENT-PRINCIPAL", "!!garbage!!")), 401);
  }

  @Test
  void answersASignedInCallerWithoutTheRoleWith403NamingTheRole() throws IOException {
    HttpResponseMessage response = organizations.register(
        FakeRequest.post("organizations", "{\"url\":\"https://dev.azure.com/contoso\",\"pat\":\"" + World.TOKEN + "\"}")
            .header("X-MS-CLIENT-PRINCIPAL", principal("roles", "Reader")));

    JsonNode problem = problem(response, 403);
    assertThat(problem.path("type").asText()).isEqualTo("urn:bunker:problem:not-an-admin");
    assertThat(problem.path("detail").asText()).contains("Bunker.Admin").doesNotContain("ada@contoso.com");
    assertThat(world.catalog.organizations().list()).as("nothing registered").isEmpty();
    assertThat(world.catalog.credentials().list()).as("no credential stored").isEmpty();
  }

  @Test
  void servesAnAdmin() {
    HttpResponseMessage response = organizations.list(
        FakeRequest.get("organizations").header("X-MS-CLIENT-PRINCIPAL", principal("roles", "Bunker.Admin")));

    assertThat(response.getStatus().value()).isEqualTo(200);
  }

  @Test
  void leavesHealthAndTheOAuthCallbackOpen() {
    assertThat(new HealthFunction().health(FakeRequest.get("health")).getStatus().value()).isEqualTo(200);
    // OAuth is off in this wiring: the callback says so instead of asking for a sign-in
    assertThat(new OAuthFunction().callback(FakeRequest.get("oauth/callback")).getStatus().value()).isEqualTo(404);
  }

  @Test
  void healthTellsAnAnonymousCallerOnlyUpOrDownAndAnAdminWhatItChecked() throws IOException {
    HttpResponseMessage anonymous = new HealthFunction().health(FakeRequest.get("health"));
    assertThat(JSON.readTree((String) anonymous.getBody())).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));

    HttpResponseMessage admin = new HealthFunction().health(
        FakeRequest.get("health").header("X-MS-CLIENT-PRINCIPAL", principal("roles", "Bunker.Admin")));
    JsonNode details = JSON.readTree((String) admin.getBody());
    assertThat(details.path("status").asText()).isEqualTo("ok");
    assertThat(details.has("version")).isTrue();
    assertThat(details.has("checks")).isTrue();
  }

  /** The sign-in window shows a page that tells the console, not a problem document. */
  @Test
  void startingOAuthSignInNeedsAnAdmin() {
    HttpResponseMessage refused = new OAuthFunction().authorize(FakeRequest.get("oauth/authorize")
        .query("organizationUrl", "https://dev.azure.com/contoso"));
    assertThat(refused.getStatus().value()).isEqualTo(401);
    assertThat(refused.getHeader("Content-Type")).startsWith("text/html");
    assertThat((String) refused.getBody()).contains("data-status=\"error\"").contains("Sign-in required");
  }

  /** Keeps endpoints added later honest: anonymous to the Functions host, refused by Bunker's check. */
  @Test
  void everyHttpFunctionIsAnonymousAndEveryAdminOneChecksTheCaller() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Method method : httpFunctions()) {
      String name = method.getAnnotation(FunctionName.class).value();
      HttpTrigger trigger = trigger(method);
      assertThat(trigger.authLevel()).as(name + " is anonymous: App Service authentication and AdminAccess guard it,"
          + " a function key would shut out the console").isEqualTo(AuthorizationLevel.ANONYMOUS);
      if (PUBLIC_FUNCTIONS.contains(name)) {
        continue;
      }
      Object[] arguments = new Object[method.getParameterCount()];
      Parameter[] parameters = method.getParameters();
      for (int i = 0; i < parameters.length; i++) {
        Class<?> type = parameters[i].getType();
        arguments[i] = HttpRequestMessage.class.isAssignableFrom(type) ? FakeRequest
            .post(trigger.route().replaceAll("[{}*]", ""), "{}")
            : type == String.class ? "x" : null;
      }
      Object function = method.getDeclaringClass().getDeclaredConstructor().newInstance();
      HttpResponseMessage response = (HttpResponseMessage) method.invoke(function, arguments);
      assertThat(response.getStatus().value()).as(name + " refuses a caller who is not signed in").isEqualTo(401);
      checked.add(name);
    }
    assertThat(checked).contains("registerOrganization", "listCredentials", "oauthAuthorize");
  }

  static HttpTrigger trigger(Method method) {
    for (Parameter parameter : method.getParameters()) {
      HttpTrigger trigger = parameter.getAnnotation(HttpTrigger.class);
      if (trigger != null) {
        return trigger;
      }
    }
    return null;
  }

  /** Every function method with an HTTP trigger among the compiled classes of the app. */
  static List<Method> httpFunctions() throws IOException, ClassNotFoundException {
    Path classes = Path.of("target/classes");
    List<Method> methods = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String className = classes.relativize(file).toString().replace(".class", "").replace('/', '.');
        for (Method method : Class.forName(className, false, AdminAccessApiTest.class.getClassLoader())
            .getDeclaredMethods()) {
          if (method.isAnnotationPresent(FunctionName.class) && trigger(method) != null) {
            methods.add(method);
          }
        }
      }
    }
    assertThat(methods).as("HTTP functions found").hasSizeGreaterThan(10);
    return methods;
  }
}
