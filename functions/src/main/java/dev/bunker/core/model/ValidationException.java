package dev.bunker.core.model;

import java.util.List;

/** Input that breaks the rules, with every offending field listed; nothing was changed. */
public final class ValidationException extends BunkerException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one field error");
    }
    FieldError first = errors.get(0);
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    return first.field() + ": " + first.message() + more;
  }
}
