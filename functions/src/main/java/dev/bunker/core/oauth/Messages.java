package dev.bunker.core.oauth;

/** Text from the identity provider (error codes, descriptions), made safe to show: printable and bounded. */
public final class Messages {
  private static final int MAX = 300;

  private Messages() {}

  public static String printable(String text) {
    String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    return flat.length() > MAX ? flat.substring(0, MAX) + "…" : flat;
  }

  /** {@code ": description"}, or nothing when there is none. */
  public static String describe(String description) {
    return description == null || description.isBlank() ? "" : ": " + printable(description);
  }
}
