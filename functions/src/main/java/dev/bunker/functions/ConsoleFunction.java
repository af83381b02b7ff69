package dev.bunker.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.bunker.json.Json;
import java.util.Optional;

/**
 * Serves the admin web console ({@code /api/console}): static files from the jar, which talk to the
 * HTTP API from the browser. Anonymous at the Functions level because in Azure App Service
 * authentication guards the whole app, and locally nothing does.
 */
public final class ConsoleFunction {
  /**
   * No inline script or style, nothing from other origins: the console's own files and its API.
   * Downloads and the OAuth popup are navigations, which this policy does not restrict.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
      + "style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
      + "base-uri 'none'; frame-ancestors 'none'";

  private static final ConsoleFiles FILES =
      new ConsoleFiles("console", ConsoleFunction.class.getClassLoader());

  @FunctionName("console")
  public HttpResponseMessage page(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "console",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req) {
    return serve(req, "");
  }

  @FunctionName("consoleFile")
  public HttpResponseMessage file(
      @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "console/{*path}",
          authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> req,
      @BindingName("path") String path) {
    return serve(req, path);
  }

  private static HttpResponseMessage serve(HttpRequestMessage<Optional<String>> req, String path) {
    return FILES.find(path)
        .map(file -> found(req, file))
        .orElseGet(() -> withSecurityHeaders(req.createResponseBuilder(HttpStatus.NOT_FOUND))
            .header("Content-Type", "application/problem+json")
            .header("Cache-Control", "no-store")
            .body(Json.write(Problem.of(404, "not-found", "Not found", "the console has no file at this path")))
            .build());
  }

  private static HttpResponseMessage found(HttpRequestMessage<?> req, ConsoleFiles.File file) {
    // The files carry no version in their names, so browsers revalidate each time; the ETag makes
    // that a 304 without a body.
    String tags = Http.header(req.getHeaders(), "If-None-Match");
    boolean unchanged = tags != null && (tags.trim().equals("*") || tags.contains(file.etag()));
    HttpResponseMessage.Builder response = withSecurityHeaders(
        req.createResponseBuilder(unchanged ? HttpStatus.NOT_MODIFIED : HttpStatus.OK))
        .header("ETag", file.etag())
        .header("Cache-Control", "private, no-cache");
    if (unchanged) {
      return response.build();
    }
    return response.header("Content-Type", file.contentType()).body(file.content()).build();
  }

  private static HttpResponseMessage.Builder withSecurityHeaders(HttpResponseMessage.Builder response) {
    return response
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        // Keeps the opener link to the OAuth popup (the callback page posts its result back).
        .header("Cross-Origin-Opener-Policy", "same-origin-allow-popups");
  }
}
