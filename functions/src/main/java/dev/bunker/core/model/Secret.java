package dev.bunker.core.model;

import java.util.Objects;

/**
 * A secret value (PAT, access token) held in memory only as long as a call needs it. It prints as
 * {@code ***} so that an accidental log line or exception message never shows it.
 */
public final class Secret {
  private static final String MASK = "***";
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a secret cannot be blank");
    }
    return new Secret(value);
  }

  /** The plain value, for the one place that must send it (an HTTP header, a secret store). */
  public String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of this secret masked, for error messages from other parts. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, MASK);
  }

  @Override
  public String toString() {
    return MASK;
  }
}
