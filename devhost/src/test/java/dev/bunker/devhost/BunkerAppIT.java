package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.azurite.Azurite;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real Bunker app, as packaged by the functions module, starts under devhost. */
class BunkerAppIT {
  @Test
  void bunkerStartsAndAnswersHealth() throws Exception {
    Azurite azurite = Azurite.shared();
    Path app = Path.of(System.getProperty("bunker.app", "../functions/target/azure-functions/bunker"));
    try (DevHostProcess devhost = DevHostProcess.forApp(app)
        .setting("AzureWebJobsStorage", azurite.connectionString())
        .setting("BACKUP_STORAGE", azurite.connectionString())
        .start("bunker")) {
      HttpResponse<byte[]> health = devhost.get("/api/health");

      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(health.body());
      assertThat(body.get("status").asText()).isEqualTo("ok");
    }
  }
}
