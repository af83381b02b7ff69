package dev.bunker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the tests of the sandbox's REST APIs share: one sandbox per class, called over HTTP with its PAT. */
abstract class SandboxApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static AdoSandbox sandbox;
  static String auth;
  static HttpClient http;

  @BeforeAll
  static void start() {
    sandbox = AdoSandbox.start();
    auth = "Basic " + Base64.getEncoder().encodeToString((":" + sandbox.pat()).getBytes(StandardCharsets.UTF_8));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  /** A request with the sandbox's PAT; {@code body}, when there is one, is sent as {@code contentType}. */
  static HttpResponse<String> send(String method, String url, String contentType, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> response(String url) throws Exception {
    return send("GET", url, null, null);
  }

  /** The JSON a GET answers, which must be 200. */
  static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = response(url);
    assertThat(response.statusCode()).as(url + " answered " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
