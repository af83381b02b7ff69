package dev.bunker.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CallbackPageTest {
  private final CallbackPage pages = new CallbackPage("https://bunker.example.net");

  @Test
  void tellsTheOpenerOnlyAtBunkersOwnOriginThenCloses() {
    CallbackPage.Page page = pages.connected("e9a0ad1b780a2627", "https://dev.azure.com/contoso");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.html())
        .contains("data-origin=\"https://bunker.example.net\"")
        .contains("data-status=\"connected\"")
        .contains("data-organization-url=\"https://dev.azure.com/contoso\"")
        .contains("data-organization-id=\"e9a0ad1b780a2627\"")
        .contains("data-type=\"bunker-oauth\"")
        .contains("window.opener.postMessage(result, body.getAttribute('data-origin') || window.location.origin)")
        .contains("window.close()")
        .doesNotContain("postMessage(result, '*')");
  }

  @Test
  void aPageOfItsOwnOriginTellsOnlyTheOriginItIsServedFrom() {
    CallbackPage.Page page = CallbackPage.ofOwnOrigin().failed(404, null, "OAuth is off");

    assertThat(page.html()).doesNotContain("data-origin=")
        .contains("body.getAttribute('data-origin') || window.location.origin")
        .doesNotContain("postMessage(result, '*')");
  }

  @Test
  void aRefusalIsPostedAsAnErrorWithoutEmptyFields() {
    CallbackPage.Page page = pages.failed(400, null, "this sign-in was already completed");

    assertThat(page.html()).contains("data-status=\"error\"")
        .contains("data-message=\"this sign-in was already completed\"")
        .doesNotContain("data-organization-url=").doesNotContain("data-organization-id=")
        .contains("if (value) {");
  }

  @Test
  void worksAsAFullWindowWithALinkBackToTheConsole() {
    CallbackPage.Page page = pages.connected("e9a0ad1b780a2627", "https://dev.azure.com/contoso");

    assertThat(page.html()).contains("<h1>Organization connected</h1>")
        .contains("Connected https://dev.azure.com/contoso.")
        .contains("<a href=\"/api/console\">");
  }

  @Test
  void escapesEverythingItShows() {
    String hostile = "https://dev.azure.com/x\"><script>alert('x')</script>&";
    CallbackPage.Page page = pages.failed(400, hostile, "bad <b>state</b> & \"quotes\" 'single'");

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.html())
        .doesNotContain("<script>alert")
        .doesNotContain("<b>state</b>")
        .contains("https://dev.azure.com/x&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;")
        .contains("bad &lt;b&gt;state&lt;/b&gt; &amp; &quot;quotes&quot; &#39;single&#39;");
    assertThat(page.html().split("<script>", -1)).hasSize(2);
  }

  @Test
  void allowsExactlyItsOwnScriptAndNoReferrer() throws Exception {
    CallbackPage.Page page = pages.connected("e9a0ad1b780a2627", "https://dev.azure.com/contoso");
    String html = page.html();
    String script = html.substring(html.indexOf("<script>") + "<script>".length(), html.indexOf("</script>"));
    String hash = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));

    assertThat(page.headers().get("Content-Security-Policy"))
        .contains("script-src 'sha256-" + hash + "'")
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers()).containsEntry("Referrer-Policy", "no-referrer")
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("Content-Type", "text/html; charset=utf-8");
    assertThat(html).contains("<meta name=\"referrer\" content=\"no-referrer\">");
  }
}
