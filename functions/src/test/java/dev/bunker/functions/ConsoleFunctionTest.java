package dev.bunker.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpResponseMessage;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleFunctionTest {
  private final ConsoleFunction console = new ConsoleFunction();

  private HttpResponseMessage get(String path) {
    // The route parameter carries the path; the URL is not read.
    return console.file(FakeRequest.get("console/file"), path);
  }

  private static String text(HttpResponseMessage response) {
    return new String((byte[]) response.getBody(), StandardCharsets.UTF_8);
  }

  @Test
  void servesThePageAtTheConsoleRoot() {
    HttpResponseMessage response = console.page(FakeRequest.get("console"));

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(text(response)).contains("<title>Bunker console</title>");
  }

  @Test
  void servesThePageForAnEmptyPathBelowTheRoot() {
    assertThat(text(get(""))).contains("<title>Bunker console</title>");
  }

  @Test
  void servesScriptsAndStylesWithTheirMediaTypes() {
    assertThat(get("js/main.js").getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get("console.css").getHeader("Content-Type")).isEqualTo("text/css; charset=utf-8");
  }

  /** The dashboard's charts: the library from npm, served with the console (no CDN), with its licence. */
  @Test
  void servesTheVendoredChartLibraryWithItsLicence() {
    assertThat(get("vendor/uplot/uPlot.esm.js").getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get("vendor/uplot/uPlot.min.css").getHeader("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(text(get("vendor/uplot/LICENSE.txt"))).contains("The MIT License");
  }

  /** The console links to it where sign-in with Entra ID is not set up. */
  @Test
  void servesTheDeployGuideAsText() {
    HttpResponseMessage guide = get("docs/deploy.md");
    assertThat(guide.getStatus().value()).isEqualTo(200);
    assertThat(guide.getHeader("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(new String((byte[]) guide.getBody(), StandardCharsets.UTF_8))
        .contains("## Connect an Azure DevOps organization");
  }

  @Test
  void sendsAStrictContentSecurityPolicyAndNoSniffing() {
    HttpResponseMessage response = get("index.html");

    String policy = response.getHeader("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
        "connect-src 'self'", "frame-ancestors 'none'");
    assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void letsBrowsersRevalidateWithAnETag() {
    HttpResponseMessage first = get("js/main.js");
    String etag = first.getHeader("ETag");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("private, no-cache");
    assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");

    HttpResponseMessage again = console.file(
        FakeRequest.get("console/js/main.js").header("if-none-match", etag), "js/main.js");

    assertThat(again.getStatusCode()).isEqualTo(304);
    assertThat(again.getBody()).isNull();
    assertThat(again.getHeader("ETag")).isEqualTo(etag);
  }

  @Test
  void servesTheFileAgainWhenTheBrowserHoldsAnOlderVersion() {
    HttpResponseMessage response = console.file(
        FakeRequest.get("console/console.css").header("If-None-Match", "\"older\""),
        "console.css");

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(text(response)).contains(":root");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nothing-here.js", "js", "js/", "../console/index.html", "js/../index.html",
      "..%2Findex.html", "%2e%2e/index.html", "/etc/passwd", "..\\index.html", ".hidden.css",
      "dev/bunker/functions/ConsoleFunction.class", "index.html/", "js//main.js", "index.html?x=1"})
  void answersNotFoundProblemForAnythingButAConsoleFile(String path) {
    HttpResponseMessage response = get(path);

    assertThat(response.getStatusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat((String) response.getBody()).contains("\"status\":404", "\"type\":\"urn:bunker:problem:not-found\"");
  }

  @Test
  void neverServesClassFilesOrResourcesOutsideTheConsoleFolder() {
    assertThat(get("../dev/bunker/functions/ConsoleFunction.class").getStatusCode()).isEqualTo(404);
    assertThat(get("../../host.json").getStatusCode()).isEqualTo(404);
  }

  /** The policy forbids inline code: a page that relied on it would silently break in browsers. */
  @Test
  void pageHasNoInlineScriptsStylesOrHandlers() {
    String page = text(get("index.html"));

    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(page).find())
        .as("inline <script>").isFalse();
    assertThat(page).doesNotContainPattern("(?i)\\sstyle=").doesNotContainPattern("(?i)\\son[a-z]+=")
        .doesNotContainIgnoringCase("<style");
  }
}
