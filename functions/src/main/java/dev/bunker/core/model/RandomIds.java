package dev.bunker.core.model;

import java.security.SecureRandom;

/** Source of the random part of ids; injected so that tests can make ids predictable. */
@FunctionalInterface
public interface RandomIds {
  /** {@code length} random lowercase hexadecimal characters. */
  String hex(int length);

  static RandomIds secure() {
    SecureRandom random = new SecureRandom();
    return length -> {
      StringBuilder text = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        text.append(Character.forDigit(random.nextInt(16), 16));
      }
      return text.toString();
    };
  }
}
