package dev.bunker.ado.client;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The three ways Azure DevOps pages a list, followed to the end: a continuation token in the
 * {@code x-ms-continuationtoken} header, one in the body, or {@code $top}/{@code $skip}. A server
 * that hands out the same token twice is an error, not an endless loop.
 */
public final class Pages {
  private Pages() {}

  /** Each page's answer, following {@code x-ms-continuationtoken} (Graph, projects, most lists). */
  public static void byHeaderToken(Calls calls, OrganizationUrl at, String firstPath,
      UnaryOperator<String> version, Consumer<JsonNode> eachPage) {
    String token = null;
    Set<String> seen = new HashSet<>();
    do {
      Exchange.Answer answer = calls.exchange().get(at, calls.credential(), withToken(firstPath, token), version);
      eachPage.accept(answer.body());
      token = answer.headers().firstValue("x-ms-continuationtoken").filter(t -> !t.isEmpty()).orElse(null);
      repeated(at, firstPath, token, seen);
    } while (token != null);
  }

  /** Each page's answer, following the body's {@code continuationToken} (user entitlements). */
  public static void byBodyToken(Calls calls, OrganizationUrl at, String firstPath,
      UnaryOperator<String> version, Consumer<JsonNode> eachPage) {
    String token = null;
    Set<String> seen = new HashSet<>();
    do {
      JsonNode page = calls.exchange().get(at, calls.credential(), withToken(firstPath, token), version).body();
      eachPage.accept(page);
      token = page.path("continuationToken").asText(null);
      token = token == null || token.isEmpty() ? null : token;
      repeated(at, firstPath, token, seen);
    } while (token != null);
  }

  /**
   * Each page's {@code value}, asking {@code $top} at a time and skipping what was read, until an
   * empty page (not a short one: a server may cap {@code $top} below what was asked).
   */
  public static void bySkip(Calls calls, OrganizationUrl at, String firstPath, int top,
      UnaryOperator<String> version, Consumer<JsonNode> eachPage) {
    int skip = 0;
    while (true) {
      JsonNode values = calls.exchange().get(at, calls.credential(),
          firstPath + separator(firstPath) + "$top=" + top + "&$skip=" + skip, version).body().path("value");
      if (values.isEmpty()) {
        return;
      }
      eachPage.accept(values);
      skip += values.size();
    }
  }

  private static String withToken(String path, String token) {
    return token == null ? path : path + separator(path) + "continuationToken=" + encode(token);
  }

  private static String separator(String path) {
    return path.contains("?") ? "&" : "?";
  }

  private static void repeated(OrganizationUrl at, String path, String token, Set<String> seen) {
    if (token != null && !seen.add(token)) {
      throw new AzureDevOpsRequestException(at, "Paging " + path.split("\\?")[0]
          + " returned the same continuation token twice", 0, null, null);
    }
  }
}
