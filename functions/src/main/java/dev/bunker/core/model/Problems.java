package dev.bunker.core.model;

import java.util.ArrayList;
import java.util.List;

/** Collects field errors so that one response lists everything wrong with an input, not just the first. */
public final class Problems {
  private final List<FieldError> errors = new ArrayList<>();

  public Problems add(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Adds an error when {@code text} is missing, blank, longer than {@code maxLength} or holds control characters. */
  public String requireText(String field, String text, int maxLength) {
    if (text == null || text.isBlank()) {
      add(field, "is required");
    } else {
      checkText(field, text, maxLength);
    }
    return text;
  }

  /** Like {@link #requireText} but a missing value is fine. */
  public void checkText(String field, String text, int maxLength) {
    if (text == null) {
      return;
    }
    if (text.length() > maxLength) {
      add(field, "must be at most " + maxLength + " characters");
    } else if (text.chars().anyMatch(Character::isISOControl)) {
      add(field, "must not contain control characters");
    }
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
