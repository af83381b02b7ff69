package dev.bunker.azurite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AzuriteTest {
  @Test
  void sharedEmulatorAnswersOnAllThreeServices() throws Exception {
    Azurite azurite = Azurite.shared();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (URI endpoint : new URI[] {azurite.blobEndpoint(), azurite.queueEndpoint(), azurite.tableEndpoint()}) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(endpoint + "?comp=list")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      // Unauthenticated requests are refused, but by Azurite itself: the service is up.
      assertThat(response.headers().firstValue("Server")).as(endpoint.toString())
          .hasValueSatisfying(v -> assertThat(v).startsWith("Azurite-"));
    }
    assertThat(azurite.connectionString()).contains("BlobEndpoint=" + azurite.blobEndpoint());
    assertThat(Azurite.shared()).isSameAs(azurite);
  }
}
