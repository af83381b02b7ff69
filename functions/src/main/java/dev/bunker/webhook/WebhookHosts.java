package dev.bunker.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The webhook hosts notifications may go to. An entry is a host ({@code hooks.slack.com}) or a
 * wildcard for its subdomains ({@code *.webhook.office.com}), reached by https on port 443; or an
 * origin ({@code https://hooks.contoso.com:8443}, or {@code http://127.0.0.1:8080} for a local
 * receiver, refused in Azure). Checked when a target is saved and again before every send.
 */
public final class WebhookHosts {
  /**
   * Teams incoming webhooks ({@code https://<tenant>.webhook.office.com/webhookb2/…}), Teams
   * Workflows ({@code https://prod-NN.<region>.logic.azure.com:443/workflows/…} and the newer
   * {@code https://<environment>.environment.api.powerplatform.com/powerautomate/…}) and Slack
   * incoming webhooks ({@code https://hooks.slack.com/services/…}).
   */
  public static final String DEFAULTS =
      "*.webhook.office.com,*.logic.azure.com,*.environment.api.powerplatform.com,hooks.slack.com";

  private static final Pattern HOST =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

  private record Entry(String scheme, String host, boolean subdomains, int port) {
    boolean admits(String scheme, String host, int port) {
      return this.scheme.equals(scheme) && this.port == port
          && (subdomains ? host.endsWith("." + this.host) : host.equals(this.host));
    }
  }

  private final List<Entry> entries;

  private WebhookHosts(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * The comma-separated entries of {@code commaSeparated}; {@code inAzure} refuses http ones.
   *
   * @throws IllegalArgumentException naming the entry that is not valid
   */
  public static WebhookHosts parse(String commaSeparated, boolean inAzure) {
    return new WebhookHosts(Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .map(text -> entry(text, inAzure)).toList());
  }

  /** Why {@code url} may not be a webhook; empty when an entry admits it. */
  public Optional<String> refusal(URI url) {
    if (url == null || url.getScheme() == null || url.getHost() == null || url.getRawUserInfo() != null) {
      return Optional.of("must be an absolute https URL with a host and no user name");
    }
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost().toLowerCase(Locale.ROOT);
    int port = effectivePort(scheme, url.getPort());
    if (entries.stream().anyMatch(entry -> entry.admits(scheme, host, port))) {
      return Optional.empty();
    }
    if (!scheme.equals("https")) {
      return Optional.of("must be an https URL");
    }
    return Optional.of("the host " + host + (url.getPort() == -1 ? "" : ":" + port)
        + " is not on the webhook allow-list");
  }

  private static Entry entry(String text, boolean inAzure) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.contains("://")) {
      if (!HOST.matcher(lower).matches()) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a host such as hooks.slack.com or *.webhook.office.com");
      }
      boolean subdomains = lower.startsWith("*.");
      return new Entry("https", subdomains ? lower.substring(2) : lower, subdomains, 443);
    }
    URI uri;
    try {
      uri = new URI(lower);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not an origin such as https://hooks.contoso.com:8443");
    }
    if (uri.getHost() == null || !List.of("http", "https").contains(uri.getScheme())
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("'" + text + "' is not an origin such as https://hooks.contoso.com:8443");
    }
    if (inAzure && uri.getScheme().equals("http")) {
      throw new IllegalArgumentException("'" + text + "' is http: webhooks must be https in Azure");
    }
    return new Entry(uri.getScheme(), uri.getHost(), false, effectivePort(uri.getScheme(), uri.getPort()));
  }

  private static int effectivePort(String scheme, int port) {
    return port != -1 ? port : scheme.equals("https") ? 443 : 80;
  }
}
