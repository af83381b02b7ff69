package dev.bunker.ado.client;

import java.util.regex.Pattern;

/** A URL that cannot be an Azure DevOps organization; the message says why. */
public final class InvalidOrganizationUrlException extends IllegalArgumentException {
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");

  public InvalidOrganizationUrlException(String url, String reason) {
    super("'" + redact(url) + "' is not an Azure DevOps organization URL: " + reason);
  }

  /** What the user typed, minus any user name and password in it. */
  private static String redact(String url) {
    return url == null ? "" : USER_INFO.matcher(url).replaceFirst("***@");
  }
}
