package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.azurite.Azurite;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The real Bunker app, as packaged by the functions module, starts under devhost. */
class BunkerAppIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * With the admin check on, as in Azure (where App Service authentication writes the principal
   * header and the platform sets WEBSITE_AUTH_ENABLED): health stays open, the API wants an admin.
   */
  @Test
  void bunkerStartsAnswersHealthToAnyoneAndTheAdminApiOnlyToAdmins() throws Exception {
    Azurite azurite = Azurite.shared();
    Path app = Path.of(System.getProperty("bunker.app", "../functions/target/azure-functions/bunker"));
    try (DevHostProcess devhost = DevHostProcess.forApp(app)
        .setting("AzureWebJobsStorage", azurite.connectionString())
        .setting("BACKUP_STORAGE", azurite.connectionString())
        .setting("ADMIN_ACCESS", "enforced")
        .setting("WEBSITE_AUTH_ENABLED", "True")
        .start("bunker")) {
      HttpResponse<byte[]> health = devhost.get("/api/health");

      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(health.body());
      assertThat(body.get("status").asText()).isEqualTo("ok");

      HttpResponse<String> anonymous = listOrganizations(devhost, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(listOrganizations(devhost, principal("Reader")).statusCode()).isEqualTo(403);
      assertThat(listOrganizations(devhost, principal("Bunker.Admin")).statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> listOrganizations(DevHostProcess devhost, String principal) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(devhost.uri("/api/organizations")).timeout(Duration.ofSeconds(60));
    if (principal != null) {
      request.header("X-MS-CLIENT-PRINCIPAL", principal);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String principal(String role) {
    String json = "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"roles\",\"val\":\"" + role + "\"}]}";
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
