package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Turns what Azure DevOps answered into an {@link Exchange.Answer}, knowing its ways of saying
 * "credential not accepted": 203 or 401, or a sign-in page (HTML) where JSON or a file was asked for.
 */
final class Decoding {
  private Decoding() {}

  static void requireAccepted(OrganizationUrl organization, int status) {
    if (status == 203) {
      throw new CredentialNotAcceptedException(organization, "203 with a sign-in page");
    }
    if (status == 401) {
      throw new CredentialNotAcceptedException(organization, "401 Unauthorized");
    }
  }

  /** A successful answer as {@code request} wants it: JSON, bytes, or streamed to its reader. */
  static Exchange.Answer answer(OrganizationUrl organization, String what, Received response, AdoRequest request) {
    if (request.reader() != null) {
      return streamed(organization, what, response, request.reader());
    }
    return request.accept() != AdoRequest.Accept.JSON
        ? new Exchange.Answer(null, notSignIn(organization, response), response.headers())
        : new Exchange.Answer(json(organization, response), response.body(), response.headers());
  }

  /** An error answer's JSON body (Azure DevOps' {@code typeKey} and {@code message}), or a missing node. */
  static JsonNode errorBody(Received response) {
    try {
      JsonNode node = AdoJson.JSON.readTree(response.body());
      return node == null ? AdoJson.JSON.missingNode() : node;
    } catch (IOException e) {
      return AdoJson.JSON.missingNode();
    }
  }

  /** An error body's message, shortened, for an exception's text ("" when there is none). */
  static String message(JsonNode error) {
    String text = error.path("message").asText("");
    if (text.isEmpty()) {
      return "";
    }
    return ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
  }

  static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
  }

  /** Azure DevOps may answer 200 with an HTML sign-in page: anything but JSON means "not accepted". */
  private static JsonNode json(OrganizationUrl organization, Received response) {
    if (response.body().length == 0) {
      return AdoJson.JSON.nullNode();
    }
    String type = contentType(response);
    if (!type.startsWith("application/json")) {
      throw new CredentialNotAcceptedException(organization,
          "the answer was " + (type.isEmpty() ? "not JSON" : type.split(";")[0]) + ", not JSON");
    }
    try {
      return AdoJson.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CredentialNotAcceptedException(organization, "the answer was not valid JSON");
    }
  }

  private static byte[] notSignIn(OrganizationUrl organization, Received response) {
    requireNotHtml(organization, response);
    return response.body();
  }

  /** Hands a streamed answer to its reader; a failure while reading fails the call (it is not repeated). */
  private static Exchange.Answer streamed(OrganizationUrl organization, String what, Received response,
      AdoRequest.BodyReader reader) {
    try (InputStream body = response.stream()) {
      requireNotHtml(organization, response);
      reader.read(body);
      return new Exchange.Answer(null, null, response.headers());
    } catch (IOException e) {
      throw new AzureDevOpsRequestException(organization, what + " failed while reading the answer: " + describe(e),
          0, null, e);
    }
  }

  private static void requireNotHtml(OrganizationUrl organization, Received response) {
    if (contentType(response).startsWith("text/html")) {
      throw new CredentialNotAcceptedException(organization, "the answer was an HTML page, not the file");
    }
  }

  private static String contentType(Received response) {
    return response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
  }
}
