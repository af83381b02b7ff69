package dev.bunker.ado.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Sends one HTTP request within its organization's concurrency bound. A successful streamed
 * answer is handed on unread (the caller reads it after the bound is released); every other body
 * is read whole. Either fails once it brings nothing for a while ({@link StalledBodies}).
 */
final class BoundedSender {
  private final HttpClient http;
  private final StalledBodies bodies;

  BoundedSender(HttpClient http, StalledBodies bodies) {
    this.http = http;
    this.bodies = bodies;
  }

  Received send(OrganizationUrl organization, OrganizationState state, HttpRequest request, boolean stream)
      throws IOException {
    try {
      state.inFlight.acquire();
      try {
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        InputStream watched = bodies.watch(response.body(), request.method() + " " + request.uri().getHost()
            + request.uri().getRawPath());
        if (stream && status >= 200 && status < 300) {
          return new Received(status, response.headers(), null, watched);
        }
        try (InputStream body = watched) {
          return new Received(status, response.headers(), body.readAllBytes(), null);
        }
      } finally {
        state.inFlight.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzureDevOpsException(organization, "Interrupted while calling " + organization, e);
    }
  }
}
