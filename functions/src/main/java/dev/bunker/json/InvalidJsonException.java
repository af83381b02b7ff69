package dev.bunker.json;

/**
 * Text someone sent (a request body, a queue message) that is not the JSON expected. It says
 * nothing about who is to blame: where a request body is read this is a bad request, elsewhere it
 * is a fault of whoever wrote the text.
 */
public final class InvalidJsonException extends RuntimeException {
  private final String field;
  private final String problem;

  InvalidJsonException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** Where the text is wrong, e.g. {@code schedule.hours[1]}; {@code body} for the text as a whole. */
  public String field() {
    return field;
  }

  /** What is wrong there, e.g. {@code must be a whole number}. */
  public String problem() {
    return problem;
  }
}
