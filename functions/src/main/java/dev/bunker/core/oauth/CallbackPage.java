package dev.bunker.core.oauth;

import dev.bunker.hash.Sha256;
import java.net.URI;
import java.util.Base64;
import java.util.Map;

/**
 * The page the OAuth callback answers with. Opened as a popup by the console, it posts the outcome
 * to the console's window (only to Bunker's own origin) and closes; opened as a full window, it
 * shows the outcome and a link back to the console.
 */
public final class CallbackPage {
  /**
   * Posted to {@code window.opener}: {@code {type: "bunker-oauth", status: "connected" | "error",
   * organizationId?, organizationUrl?, message?}}, the shape the console listens for.
   */
  public static final String MESSAGE_TYPE = "bunker-oauth";
  public static final String CONSOLE_PATH = "/api/console";

  // Static, so a Content-Security-Policy hash can allow exactly this script; data comes from
  // HTML-escaped attributes, never from text pasted into the script. Absent values are left out.
  private static final String SCRIPT = """
      (function () {
        var body = document.body;
        var result = { type: body.getAttribute('data-type'), status: body.getAttribute('data-status') };
        var optional = { organizationId: 'data-organization-id', organizationUrl: 'data-organization-url',
          message: 'data-message' };
        Object.keys(optional).forEach(function (key) {
          var value = body.getAttribute(optional[key]);
          if (value) {
            result[key] = value;
          }
        });
        if (window.opener && !window.opener.closed) {
          window.opener.postMessage(result, body.getAttribute('data-origin') || window.location.origin);
          window.close();
        }
      })();""";
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'sha256-" + sha256(SCRIPT)
      + "'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final String appOrigin;

  /** @param appOrigin Bunker's own origin ({@link OAuthSettings#appOrigin()}), the only one told the outcome */
  public CallbackPage(String appOrigin) {
    this.appOrigin = appOrigin;
  }

  /**
   * Pages that tell the outcome to the origin they are served from: for answers of the address the
   * console itself opened (OAuth off, a refused sign-in start), which may be known when no
   * {@link OAuthSettings} are.
   */
  public static CallbackPage ofOwnOrigin() {
    return new CallbackPage(null);
  }

  /**
   * An HTML page and the headers it needs (no caching, no referrer: the callback URL holds the code).
   * {@code organizationId} is the organization connected (null when none was), {@code organizationUrl}
   * the one the sign-in was for (null when the state could not be read): the audit trail names them.
   */
  public record Page(int status, String html, Map<String, String> headers, String organizationId,
      String organizationUrl) {}

  public Page connected(String organizationId, String organizationUrl) {
    return page(200, "connected", organizationId, organizationUrl, "Connected " + organizationUrl + ".");
  }

  /** On to the next step of connecting, in the same window (the sign-in after an administrator's consent). */
  public Page continueAt(URI next) {
    return new Page(302, "", Map.of(
        "Location", next.toString(),
        "Cache-Control", "no-store",
        "Referrer-Policy", "no-referrer"), null, null);
  }

  /**
   * For a refused sign-in; {@code status} 400 for bad state or a declined grant, 502 when Entra ID
   * or Azure DevOps failed. {@code organizationUrl} may be null (the state could not be read).
   */
  public Page failed(int status, String organizationUrl, String message) {
    return page(status, "error", null, organizationUrl, message);
  }

  private Page page(int status, String outcome, String organizationId, String organizationUrl, String message) {
    String title = outcome.equals("connected") ? "Organization connected" : "Could not connect the organization";
    String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"referrer\" content=\"no-referrer\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>Bunker: " + escape(title) + "</title>\n"
        + "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}</style>\n"
        + "</head>\n<body data-type=\"" + MESSAGE_TYPE + "\" data-status=\"" + outcome + "\""
        + attribute("data-organization-id", organizationId)
        + attribute("data-organization-url", organizationUrl)
        + attribute("data-message", message)
        + attribute("data-origin", appOrigin) + ">\n"
        + "<h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p>\n"
        + "<p>You can close this window, or <a href=\"" + CONSOLE_PATH + "\">go back to the Bunker console</a>.</p>\n"
        + "<script>" + SCRIPT + "</script>\n</body>\n</html>\n";
    return new Page(status, html, Map.of(
        "Content-Type", "text/html; charset=utf-8",
        "Content-Security-Policy", CONTENT_SECURITY_POLICY,
        "Cache-Control", "no-store",
        "Referrer-Policy", "no-referrer",
        "X-Content-Type-Options", "nosniff"), organizationId, organizationUrl);
  }

  private static String attribute(String name, String value) {
    return value == null || value.isEmpty() ? "" : " " + name + "=\"" + escape(value) + "\"";
  }

  /** Escapes text for HTML element content and double- or single-quoted attributes. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String sha256(String text) {
    return Base64.getEncoder().encodeToString(Sha256.of(text));
  }
}
