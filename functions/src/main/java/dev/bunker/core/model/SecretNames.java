package dev.bunker.core.model;

import dev.bunker.core.port.SecretStore;
import java.util.regex.Pattern;

/**
 * The secret names every {@link SecretStore} accepts: Key Vault's rule (1–127 of
 * {@code [0-9a-zA-Z-]}), enforced by the local store too so that a name that works in development
 * works in Azure.
 */
public final class SecretNames {
  private static final Pattern VALID = Pattern.compile("[0-9a-zA-Z-]{1,127}");
  /** Every secret of a notification target (its webhook URL, its signing secret) starts so; no credential may name one. */
  public static final String WEBHOOK_PREFIX = "bunker-webhook-";

  private SecretNames() {}

  /** Returns {@code name} if valid; otherwise throws an {@link IllegalArgumentException} saying why. */
  public static String requireValid(String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid secret name " + describe(name)
          + ": use 1 to 127 letters, digits and dashes");
    }
    return name;
  }

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  // An invalid name is not a secret, but it may be long or odd: quote a bounded, printable form.
  private static String describe(String name) {
    if (name == null) {
      return "(none)";
    }
    String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
